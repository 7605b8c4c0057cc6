package org.mlpages.credit;

import java.util.List;

import org.mlpages.credit.model.FieldError;

/**
 * Answers the model must not see: one error per field, for the form and the API alike.
 */
class InvalidAnswersException extends RuntimeException {

	/** The reason the metrics and the operator's log give, and the API's problem code. */
	static final String REASON = "invalid-answers";

	private final transient List<FieldError> errors;

	InvalidAnswersException(List<FieldError> errors) {
		super(errors.size() + " answer(s) refused: " + errors);
		this.errors = List.copyOf(errors);
	}

	List<FieldError> errors() {
		return errors;
	}

}
