package org.mlpages.credit.model;

/**
 * How much one answer moved the log-odds of "good" away from the average applicant's.
 *
 * @param field the form field, e.g. {@code purpose}
 * @param feature the model feature the answer became, e.g. {@code purpose@radio/tv} or
 * {@code age@value}
 * @param value contribution to the log-odds of "good": positive pushes towards granting,
 * negative towards refusing
 */
public record Contribution(String field, String feature, double value) {
}
