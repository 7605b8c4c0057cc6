package org.mlpages.tabular;

/**
 * A tabular model that cannot be served as it is: its file, its descriptor, or the two
 * together (a field the model does not take, an input no field fills, a type that does
 * not match). The message is a sentence for the log and the About page.
 */
public class InvalidTabularModelException extends RuntimeException {

	public InvalidTabularModelException(String message) {
		super(message);
	}

	public InvalidTabularModelException(String message, Throwable cause) {
		super(message, cause);
	}

}
