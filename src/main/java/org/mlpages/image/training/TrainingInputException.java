package org.mlpages.image.training;

/**
 * The training data or options cannot make a model: an empty class folder, a single
 * class, no usable photo... The message is written for the person who chose the data and
 * says what to change.
 */
public class TrainingInputException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public TrainingInputException(String message) {
		super(message);
	}

	public TrainingInputException(String message, Throwable cause) {
		super(message, cause);
	}

}
