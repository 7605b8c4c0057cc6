package org.mlpages.catalog;

import java.util.List;
import java.util.Map;

/**
 * What a person or a client may want to know about one model before trusting its answers.
 * Texts are already in the reader's language.
 *
 * @param name the model's name, from its file name; also its page and API path
 * @param kind what it does, e.g. {@code image-classifier}
 * @param title display name
 * @param status {@link Status#READY}, {@link Status#LOADING}, or failed
 * @param error for a model that failed to load, the reason (null otherwise)
 * @param file model file name
 * @param fileSize bytes
 * @param sha256 of the model file: the identity logged with every prediction
 * @param format where the file comes from, e.g. "Keras 2.4.0 (tensorflow)"
 * @param inputShape e.g. {@code [-1, 224, 224, 3]}
 * @param labels the classes, in the model's output order
 * @param preprocessing how an input is turned into the tensor the model expects
 * @param loadMillis time from file to a ready model
 * @param pagePath where its page lives, or null
 * @param details further facts worth showing, in order (e.g. a tabular model's training
 * provenance)
 */
public record ModelCard(String name, String kind, String title, Status status, String error, String file, long fileSize,
		String sha256, String format, String inputShape, List<String> labels, String preprocessing, long loadMillis,
		String pagePath, Map<String, String> details) {

	public enum Status {

		READY, FAILED,

		/** Found at start-up and still loading: ready in a few seconds. */
		LOADING

	}

	public boolean ready() {
		return status == Status.READY;
	}

}
