package org.mlpages.image;

/**
 * The model closed (the application is stopping) before it could answer a photo handed to
 * it: the request fails at once rather than wait for an answer that will not come.
 */
public class ModelClosedException extends IllegalStateException {

	public ModelClosedException(String model) {
		super("model " + model + " is closed (the application is stopping)");
	}

}
