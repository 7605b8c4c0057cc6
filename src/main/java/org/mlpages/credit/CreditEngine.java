package org.mlpages.credit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.mlpages.credit.model.Contribution;
import org.mlpages.credit.model.CreditDecision;
import org.mlpages.credit.model.CreditModel;
import org.mlpages.tabular.TabularEngine;

/**
 * The built-in credit model's answers, from its own Tribuo function: the probability that
 * the credit is repaid is the probability of granting it, and being linear the model
 * explains each answer exactly, as its share of the log-odds.
 */
final class CreditEngine implements TabularEngine {

	/**
	 * The decision the page and the history name; the model's own classes are good and
	 * bad.
	 */
	static final String GRANTED = "granted";

	static final String REFUSED = "refused";

	private final CreditModel model;

	CreditEngine(CreditModel model) {
		this.model = model;
	}

	@Override
	public List<String> classes() {
		return List.of(GRANTED, REFUSED);
	}

	@Override
	public List<Map<String, Double>> probabilities(List<Map<String, Object>> rows) {
		return rows.stream().map(row -> probabilities(model.probabilityGood(row))).toList();
	}

	@Override
	public Optional<LinearAnswer> linearAnswer(Map<String, Object> row) {
		CreditDecision decision = model.decide(row);
		Map<String, Double> shares = new LinkedHashMap<>();
		for (Contribution contribution : decision.contributions()) {
			shares.merge(contribution.field(), contribution.value(), Double::sum);
		}
		return Optional.of(new LinearAnswer(probabilities(decision.probabilityGood()), GRANTED, shares));
	}

	private static Map<String, Double> probabilities(double good) {
		Map<String, Double> probabilities = new LinkedHashMap<>();
		probabilities.put(GRANTED, good);
		probabilities.put(REFUSED, 1 - good);
		return probabilities;
	}

	@Override
	public void close() {
		// nothing held outside the Java heap
	}

}
