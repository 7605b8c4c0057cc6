package org.mlpages.image.training;

import java.util.Arrays;

/**
 * The training data or options cannot make a model: an empty class folder, a single
 * class, no usable photo... The message is written for the person who chose the data and
 * says what to change.
 *
 * <p>
 * Refusals a web page shows also carry a {@link #code()} and its arguments, so the page
 * can say the same thing in the reader's language; the message stays English for the
 * command line and the log.
 */
public class TrainingInputException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String code;

	private final transient Object[] arguments;

	public TrainingInputException(String message) {
		this(null, message);
	}

	public TrainingInputException(String message, Throwable cause) {
		super(message, cause);
		this.code = null;
		this.arguments = new Object[0];
	}

	/**
	 * @param code short, stable name of the refusal ("empty-class", "unsafe-path"...)
	 * @param arguments the values the localised text names, in order
	 */
	public TrainingInputException(String code, String message, Object... arguments) {
		super(message);
		this.code = code;
		this.arguments = arguments.clone();
	}

	/** The refusal's name, or null for a refusal only the message describes. */
	public String code() {
		return code;
	}

	public Object[] arguments() {
		return Arrays.copyOf(arguments, arguments.length);
	}

}
