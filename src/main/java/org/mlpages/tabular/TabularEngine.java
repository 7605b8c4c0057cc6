package org.mlpages.tabular;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What computes a tabular model's answers: ONNX Runtime for a file of the models folder
 * ({@link OnnxEngine}), or the built-in credit model's own Tribuo function. The form, its
 * checks, the decision against the threshold and the explanation are the same for every
 * engine ({@link TabularModel}).
 *
 * <p>
 * A row holds every field's checked answer by field name: a {@link Double} for a number,
 * the option's value (a String) for a choice, a {@link Boolean} for yes or no.
 */
public interface TabularEngine extends AutoCloseable {

	/** The classes, in the model's order. */
	List<String> classes();

	/** Each row's probability of each class, in order; several rows in one call. */
	List<Map<String, Double>> probabilities(List<Map<String, Object>> rows);

	/**
	 * For a model whose answers add up in the log-odds of a class (a linear one): a row's
	 * probabilities and each field's exact share of those log-odds against the average
	 * training row, in one pass; empty for the others, which are explained against each
	 * field's baseline.
	 */
	default Optional<LinearAnswer> linearAnswer(Map<String, Object> row) {
		return Optional.empty();
	}

	/**
	 * A linear model's answer on a row, with its exact explanation.
	 *
	 * @param probabilities each class's probability, in the model's order
	 * @param towards the class whose log-odds the shares add up to
	 * @param shares each field's share
	 */
	record LinearAnswer(Map<String, Double> probabilities, String towards, Map<String, Double> shares) {
	}

	/**
	 * Whether a two-class model's log-odds are a sum of one term per field (a logistic
	 * regression and its encoders): how much replacing an answer by its baseline moves
	 * them is then that answer's exact share, whatever the other answers.
	 */
	default boolean linearInLogOdds() {
		return false;
	}

	/**
	 * The largest magnitude a number field's answer may have for the model to read it as
	 * given (a 32-bit integer input holds no more than 2,147,483,647).
	 */
	default double largestNumber(String field) {
		return Double.MAX_VALUE;
	}

	/** Frees what the engine holds; predictions running finish first. */
	@Override
	void close();

}
