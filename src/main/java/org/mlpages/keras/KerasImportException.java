package org.mlpages.keras;

/**
 * A Keras file that cannot be turned into a model: not HDF5, no model config,
 * inconsistent weights, a layer option outside what the converters implement. Unchecked
 * so that converters stay plain lambdas; callers that load models at start-up catch it
 * per file and carry on.
 */
public class KerasImportException extends RuntimeException {

	public KerasImportException(String message) {
		super(message);
	}

	public KerasImportException(String message, Throwable cause) {
		super(message, cause);
	}

}
