package org.mlpages.history;

import java.time.Instant;
import java.util.Map;

/**
 * What a feature hands to the {@link PredictionLog} after a prediction.
 *
 * @param kind what was predicted, {@code image} or {@code tabular}
 * @param probabilities label to probability, in the model's label order
 * @param inputJson for a tabular model, the answers it was given, as JSON; null for an
 * image
 * @param threshold the probability a decision was held against, or null
 * @param explanationJson for a tabular model, how much each answer moved the decision, as
 * JSON; null otherwise
 * @param batchId the batch the prediction was one row of, or null
 * @param batchRow its row's position in the batch's file, from 1; null outside a batch
 */
public record PredictionRecord(Instant createdAt, String kind, Channel channel, String modelName, String modelSha256,
		String storedFile, String originalName, Integer imageWidth, Integer imageHeight, String inputJson, String label,
		Map<String, Double> probabilities, Double threshold, double inferenceMs, double latencyMs,
		String explanationJson, String batchId, Integer batchRow) {

	public static final String IMAGE = "image";

	public static final String TABULAR = "tabular";

	/**
	 * Where the request came from. DEMO marks the samples of the demo page, so that the
	 * history can tell a visitor trying the app from real use.
	 */
	public enum Channel {

		PAGE, API, DEMO

	}

	public static PredictionRecord image(Channel channel, String modelName, String modelSha256, String storedFile,
			String originalName, int width, int height, String label, Map<String, Double> probabilities,
			double inferenceMs, double latencyMs) {
		return new PredictionRecord(Instant.now(), IMAGE, channel, modelName, modelSha256, storedFile, originalName,
				width, height, null, label, probabilities, null, inferenceMs, latencyMs, null, null, null);
	}

	public static PredictionRecord tabular(Channel channel, String modelName, String modelSha256, String inputJson,
			String label, Map<String, Double> probabilities, double threshold, double inferenceMs, double latencyMs) {
		return tabular(channel, modelName, modelSha256, inputJson, label, probabilities, threshold, inferenceMs,
				latencyMs, null);
	}

	public static PredictionRecord tabular(Channel channel, String modelName, String modelSha256, String inputJson,
			String label, Map<String, Double> probabilities, Double threshold, double inferenceMs, double latencyMs,
			String explanationJson) {
		return new PredictionRecord(Instant.now(), TABULAR, channel, modelName, modelSha256, null, null, null, null,
				inputJson, label, probabilities, threshold, inferenceMs, latencyMs, explanationJson, null, null);
	}

	/** The same prediction as row {@code row} of batch {@code id}. */
	public PredictionRecord inBatch(String id, int row) {
		return new PredictionRecord(createdAt, kind, channel, modelName, modelSha256, storedFile, originalName,
				imageWidth, imageHeight, inputJson, label, probabilities, threshold, inferenceMs, latencyMs,
				explanationJson, id, row);
	}

}
