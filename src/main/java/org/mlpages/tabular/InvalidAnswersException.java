package org.mlpages.tabular;

import java.util.List;

import org.mlpages.tabular.TabularModel.FieldError;

/**
 * Answers a tabular model refused, one error per field: nothing was decided or logged.
 */
public class InvalidAnswersException extends RuntimeException {

	/** The reason the metrics count such a request under. */
	public static final String REASON = "invalid-answers";

	private final List<FieldError> errors;

	public InvalidAnswersException(List<FieldError> errors) {
		super(errors.size() + " answer(s) refused: " + errors);
		this.errors = List.copyOf(errors);
	}

	public List<FieldError> errors() {
		return errors;
	}

}
