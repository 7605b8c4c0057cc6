package org.mlpages.history;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Embeddable;

/**
 * What a feature hands to the {@link PredictionLog} after a prediction, and the columns
 * of its row: {@link Prediction} reads them through this mapping and
 * {@link PredictionWriter} makes its insert from it, so a column is described here only.
 *
 * @param kind what was predicted, {@code image} or {@code tabular}
 * @param probabilities label to probability, in the model's label order
 * @param inputJson for a tabular model, the answers it was given, as JSON; null for an
 * image
 * @param threshold the probability a decision was held against, or null
 * @param explanationJson for a tabular model, how much each answer moved the decision, as
 * JSON; null otherwise
 * @param batchId the batch the prediction was one row of, or null: what the history
 * filters on
 * @param batchRow its row's position in the batch's file, from 1; null outside a batch
 */
@Embeddable
public record PredictionRecord(@Column(name = "created_at", nullable = false) Instant createdAt,
		@Column(name = "kind", nullable = false) String kind,
		@Column(name = "channel", nullable = false) @Convert(converter = ChannelColumn.class) Channel channel,
		@Column(name = "model_name", nullable = false) String modelName,
		@Column(name = "model_sha256", nullable = false) String modelSha256,
		@Column(name = "stored_file") String storedFile, @Column(name = "original_name") String originalName,
		@Column(name = "image_width") Integer imageWidth, @Column(name = "image_height") Integer imageHeight,
		@Column(name = "input_json", columnDefinition = "TEXT") String inputJson,
		@Column(name = "label", nullable = false) String label,
		@Column(name = "probabilities", nullable = false, columnDefinition = "TEXT") @Convert(
				converter = ProbabilitiesConverter.class) Map<String, Double> probabilities,
		@Column(name = "threshold") Double threshold,
		@Column(name = "inference_ms", nullable = false) double inferenceMs,
		@Column(name = "latency_ms", nullable = false) double latencyMs,
		@Column(name = "explanation_json", columnDefinition = "TEXT") String explanationJson,
		@Column(name = "batch_id") String batchId, @Column(name = "batch_row") Integer batchRow) {

	public static final String IMAGE = "image";

	public static final String TABULAR = "tabular";

	/**
	 * Where the request came from. DEMO marks the samples of the demo page, so that the
	 * history can tell a visitor trying the app from real use.
	 */
	public enum Channel {

		PAGE, API, DEMO;

		private final String key = name().toLowerCase(Locale.ROOT);

		/**
		 * Its lower-case name: as stored, in the history's links and messages, in the
		 * metrics' tags and the operator's log line.
		 */
		public String key() {
			return key;
		}

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

	/** The probability of the predicted label. */
	public double topProbability() {
		return probabilities.getOrDefault(label, 0.0);
	}

	/**
	 * Stores a channel by its lower-case name, as the history's links and messages use.
	 */
	@Converter
	static class ChannelColumn implements AttributeConverter<Channel, String> {

		@Override
		public String convertToDatabaseColumn(Channel channel) {
			return channel.key();
		}

		@Override
		public Channel convertToEntityAttribute(String column) {
			return Channel.valueOf(column.toUpperCase(Locale.ROOT));
		}

	}

}
