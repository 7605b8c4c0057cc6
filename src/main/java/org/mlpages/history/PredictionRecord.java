package org.mlpages.history;

import java.time.Instant;
import java.util.Map;

/**
 * What a feature hands to the {@link PredictionLog} after a prediction.
 *
 * @param probabilities label to probability, in the model's label order
 */
public record PredictionRecord(Instant createdAt, Channel channel, String modelName, String modelSha256,
		String storedFile, String originalName, Integer imageWidth, Integer imageHeight, String label,
		Map<String, Double> probabilities, double inferenceMs, double latencyMs) {

	/** Where the request came from. */
	public enum Channel {

		PAGE, API

	}

}
