package org.mlpages.credit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.mlpages.credit.model.Contribution;
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
		return rows.stream().map(row -> {
			double good = model.probabilityGood(row);
			Map<String, Double> probabilities = new LinkedHashMap<>();
			probabilities.put(GRANTED, good);
			probabilities.put(REFUSED, 1 - good);
			return probabilities;
		}).toList();
	}

	@Override
	public Optional<LinearExplanation> logOddsContributions(Map<String, Object> row) {
		Map<String, Double> byField = new LinkedHashMap<>();
		for (Contribution contribution : model.decide(row).contributions()) {
			byField.merge(contribution.field(), contribution.value(), Double::sum);
		}
		return Optional.of(new LinearExplanation(GRANTED, byField));
	}

	@Override
	public void close() {
		// nothing held outside the Java heap
	}

}
