package org.mlpages.credit.model;

import java.util.List;

/**
 * The model's answer for one applicant.
 *
 * <p>
 * For the linear model the explanation is exact:
 * {@code baseValue + sum(contributions.value) == logOdds} (up to rounding), where
 * {@code logOdds = ln(P(good) / P(bad))}. {@code baseValue} is the log-odds of an
 * "average" training applicant (every feature at its training mean); each contribution is
 * {@code weight × (transformed value − training mean of it)}, summed over the field's
 * features. This is the exact Shapley value of a linear model with independent features.
 * Centering makes the one-hot categories comparable: raw one-hot weights are only defined
 * up to a constant shared with the intercept.
 *
 * @param granted whether {@code probabilityGood >= threshold}
 * @param probabilityGood the model's P(good), in [0, 1]
 * @param threshold the decision threshold on P(good) used (the model's, chosen to
 * minimise the cost matrix)
 * @param logOdds ln(P(good) / P(bad)) as computed by the model
 * @param baseValue log-odds of the average training applicant (the intercept of the
 * explanation)
 * @param contributions one per form field, sorted by decreasing absolute value
 */
public record CreditDecision(boolean granted, double probabilityGood, double threshold, double logOdds,
		double baseValue, List<Contribution> contributions) {

	public CreditDecision {
		contributions = List.copyOf(contributions);
	}
}
