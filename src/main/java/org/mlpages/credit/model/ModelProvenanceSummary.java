package org.mlpages.credit.model;

import java.util.List;
import java.util.Map;

/**
 * The few provenance facts worth showing on an about page (the full Tribuo provenance is
 * most of the model file).
 *
 * @param modelClass Tribuo model class, e.g.
 * {@code org.tribuo.transform.TransformedModel}
 * @param trainerClass the learning algorithm's trainer class, e.g.
 * {@code org.tribuo.classification.sgd.linear.LinearSGDTrainer}
 * @param trainerSettings its hyper-parameters, flattened ({@code epochs=5},
 * {@code optimiser.initialLearningRate=1.0}, ...), in a stable order
 * @param description what the training command called the chosen candidate, e.g.
 * "logistic regression, z-scored numbers"
 * @param seed the seed given to the training command
 * @param trainingRows rows the final model was trained on
 * @param heldOutRows rows of the CSV left out of training (1 for the first after the
 * header), ascending; empty if none
 * @param heldOutReason why they were left out, e.g. "the demo's sample applicants"; empty
 * if none
 * @param dataFile name of the training CSV (file name only)
 * @param dataSha256 SHA-256 of the training CSV, lowercase hex
 * @param trainedAt training time, ISO-8601 with offset
 * @param tribuoVersion Tribuo version that trained it
 * @param cvFolds number of stratified cross-validation folds
 * @param cvAccuracy mean accuracy over the folds at the argmax decision (P(good) >= 0.5)
 * @param cvAuc mean ROC AUC over the folds
 * @param cvCostPerApplicant cost matrix total over the out-of-fold predictions at the
 * chosen threshold, divided by the number of rows
 */
public record ModelProvenanceSummary(String modelClass, String trainerClass, Map<String, String> trainerSettings,
		String description, long seed, int trainingRows, List<Integer> heldOutRows, String heldOutReason,
		String dataFile, String dataSha256, String trainedAt, String tribuoVersion, int cvFolds, double cvAccuracy,
		double cvAuc, double cvCostPerApplicant) {

	public ModelProvenanceSummary {
		trainerSettings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(trainerSettings));
		heldOutRows = List.copyOf(heldOutRows);
	}
}
