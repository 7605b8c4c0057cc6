package org.mlpages.history;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One prediction as it was served and logged: its id, what was logged
 * ({@link PredictionRecord}, whose mapping names the columns) and what a person said
 * afterwards. Rows are written by {@link PredictionWriter} only; this mapping reads them,
 * and its getters are what the pages show.
 */
@Entity
@Table(name = "prediction")
public class Prediction {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Embedded
	private PredictionRecord record;

	@Column(name = "feedback_label")
	private String feedbackLabel;

	protected Prediction() {
	}

	/** A row just committed by the writer, under the id the database gave it. */
	Prediction(long id, PredictionRecord record) {
		this.id = id;
		this.record = record;
	}

	/** What was logged: every column but the id and what a person said afterwards. */
	public PredictionRecord getRecord() {
		return record;
	}

	public Long getId() {
		return id;
	}

	public Instant getCreatedAt() {
		return record.createdAt();
	}

	public String getKind() {
		return record.kind();
	}

	public boolean isImage() {
		return PredictionRecord.IMAGE.equals(record.kind());
	}

	public String getInputJson() {
		return record.inputJson();
	}

	/**
	 * For a tabular model, each answer's contribution to the decision, as JSON; or null.
	 */
	public String getExplanationJson() {
		return record.explanationJson();
	}

	public String getFeedbackLabel() {
		return feedbackLabel;
	}

	public Double getThreshold() {
		return record.threshold();
	}

	public String getChannel() {
		return record.channel().key();
	}

	public String getModelName() {
		return record.modelName();
	}

	public String getModelSha256() {
		return record.modelSha256();
	}

	public String getStoredFile() {
		return record.storedFile();
	}

	public String getOriginalName() {
		return record.originalName();
	}

	public Integer getImageWidth() {
		return record.imageWidth();
	}

	public Integer getImageHeight() {
		return record.imageHeight();
	}

	public String getLabel() {
		return record.label();
	}

	public Map<String, Double> getProbabilities() {
		return record.probabilities();
	}

	public double getInferenceMs() {
		return record.inferenceMs();
	}

	public double getLatencyMs() {
		return record.latencyMs();
	}

	/**
	 * The answers a person may say were right instead: the model's classes, as its
	 * probabilities are keyed (the credit feature keys them by its two outcomes).
	 */
	public List<String> getAnswerChoices() {
		return List.copyOf(record.probabilities().keySet());
	}

	/**
	 * Where the page that shows this prediction lives: an image model's, the credit
	 * page's, or a tabular model's (which may not be named credit).
	 */
	public String getResultPath() {
		String page = isImage() ? "/image/" + record.modelName()
				: "credit".equals(record.modelName()) ? "/credit" : "/tabular/" + record.modelName();
		return page + "/predictions/" + id;
	}

	/** The probability of the predicted label, for one-line summaries. */
	public double getTopProbability() {
		return record.topProbability();
	}

}
