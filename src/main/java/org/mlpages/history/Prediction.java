package org.mlpages.history;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One prediction as it was served: which model, on what input, with what answer, how
 * fast. Rows are written by {@link PredictionWriter} only; this mapping reads them.
 */
@Entity
@Table(name = "prediction")
public class Prediction {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	@Column(nullable = false)
	private String kind;

	@Column(nullable = false)
	private String channel;

	@Column(name = "model_name", nullable = false)
	private String modelName;

	@Column(name = "model_sha256", nullable = false)
	private String modelSha256;

	@Column(name = "stored_file")
	private String storedFile;

	@Column(name = "original_name")
	private String originalName;

	@Column(name = "image_width")
	private Integer imageWidth;

	@Column(name = "image_height")
	private Integer imageHeight;

	@Column(name = "input_json", columnDefinition = "TEXT")
	private String inputJson;

	@Column(nullable = false)
	private String label;

	@Convert(converter = ProbabilitiesConverter.class)
	@Column(nullable = false, columnDefinition = "TEXT")
	private Map<String, Double> probabilities = new LinkedHashMap<>();

	private Double threshold;

	@Column(name = "explanation_json", columnDefinition = "TEXT")
	private String explanationJson;

	@Column(name = "feedback_label")
	private String feedbackLabel;

	@Column(name = "inference_ms", nullable = false)
	private double inferenceMs;

	@Column(name = "latency_ms", nullable = false)
	private double latencyMs;

	/** The batch this prediction was a row of, or null: what the history filters on. */
	@Column(name = "batch_id")
	private String batchId;

	protected Prediction() {
	}

	public Long getId() {
		return id;
	}

	public Instant getCreatedAt() {
		return createdAt;
	}

	public String getKind() {
		return kind;
	}

	public boolean isImage() {
		return PredictionRecord.IMAGE.equals(kind);
	}

	public String getInputJson() {
		return inputJson;
	}

	/**
	 * For a tabular model, each answer's contribution to the decision, as JSON; or null.
	 */
	public String getExplanationJson() {
		return explanationJson;
	}

	public String getFeedbackLabel() {
		return feedbackLabel;
	}

	public Double getThreshold() {
		return threshold;
	}

	public String getChannel() {
		return channel;
	}

	public String getModelName() {
		return modelName;
	}

	public String getModelSha256() {
		return modelSha256;
	}

	public String getStoredFile() {
		return storedFile;
	}

	public String getOriginalName() {
		return originalName;
	}

	public Integer getImageWidth() {
		return imageWidth;
	}

	public Integer getImageHeight() {
		return imageHeight;
	}

	public String getLabel() {
		return label;
	}

	public Map<String, Double> getProbabilities() {
		return probabilities;
	}

	public double getInferenceMs() {
		return inferenceMs;
	}

	public double getLatencyMs() {
		return latencyMs;
	}

	/**
	 * The answers a person may say were right instead: the model's classes, as its
	 * probabilities are keyed (the credit feature keys them by its two outcomes).
	 */
	public java.util.List<String> getAnswerChoices() {
		return java.util.List.copyOf(probabilities.keySet());
	}

	/**
	 * Where the page that shows this prediction lives: an image model's, the credit
	 * page's, or a tabular model's (which may not be named credit).
	 */
	public String getResultPath() {
		String page = isImage() ? "/image/" + modelName
				: "credit".equals(modelName) ? "/credit" : "/tabular/" + modelName;
		return page + "/predictions/" + id;
	}

	/** The probability of the predicted label, for one-line summaries. */
	public double getTopProbability() {
		return probabilities.getOrDefault(label, 0.0);
	}

}
