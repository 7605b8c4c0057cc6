/**
 * The credit model as a plain library: no Spring, only Tribuo and Jackson.
 *
 * <p>
 * {@link org.mlpages.credit.model.CreditTraining} trains and evaluates models on the
 * Statlog German Credit CSV and writes {@code <prefix>.model} (Tribuo protobuf),
 * {@code <prefix>.report.json} (threshold, schema, metrics: the side file the app reads)
 * and {@code <prefix>.report.md}. {@link org.mlpages.credit.model.CreditModel} loads the
 * pair, validates answers with {@link org.mlpages.credit.model.CreditSchema} and returns
 * a {@link org.mlpages.credit.model.CreditDecision} with exact per-field contributions.
 *
 * <p>
 * Tribuo checks nothing about its input (unknown categories are dropped silently, absurd
 * numbers accepted), so nothing reaches it that has not passed
 * {@link org.mlpages.credit.model.CreditSchema#validate}.
 */
package org.mlpages.credit.model;
