package org.mlpages.image.training;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a training run did and how good its model is.
 *
 * @param validationSource "folder …" or "seeded split …", in words
 * @param trainAccuracy accuracy of the head on its own training photos
 * @param validation the validation confusion matrix (rows: truth)
 * @param featureSeconds wall time of feature extraction (decoding, preprocessing, the
 * base model)
 * @param photosPerSecond photos through feature extraction per second, all photos counted
 * @param totalTime the whole run, from reading the base model to the written files
 * @param reloadMaxDifference max |probability difference| between the written .h5
 * (imported by {@code KerasModelImporter}) and the in-memory model on a few validation
 * photos; NaN when not checked
 * @param skipped files that were not used, each with the reason
 */
public record TrainingReport(String name, List<String> classes, int[] trainCounts, int[] validationCounts,
		String validationSource, long seed, String trainer, String trainerDetail, double trainAccuracy,
		ConfusionMatrix validation, Path baseModel, String baseModelLicence, String cutLayer, int featureSize,
		String headLayer, int photos, double featureSeconds, double photosPerSecond, Duration totalTime,
		double reloadMaxDifference, List<String> skipped, Path modelFile, Path descriptorFile, Path reportFile,
		String dataSource, String commandLine) {

	public TrainingReport {
		classes = List.copyOf(classes);
		skipped = List.copyOf(skipped);
	}

	public double validationAccuracy() {
		return validation.accuracy();
	}

	/** The report written beside the model as NAME.report.md. */
	public String toMarkdown() {
		StringBuilder sb = new StringBuilder();
		sb.append("# ").append(name).append(": training report\n\n");
		sb.append(String.format(Locale.ROOT, "**Validation accuracy: %.1f %%** (%d of %d photos).%n%n",
				100 * validationAccuracy(), validation.correct(), validation.total()));
		sb.append("## Data\n\n");
		if (dataSource != null) {
			sb.append(dataSource).append("\n\n");
		}
		sb.append("| class | training photos | validation photos |\n|---|---:|---:|\n");
		for (int i = 0; i < classes.size(); i++) {
			sb.append("| ")
				.append(classes.get(i))
				.append(" | ")
				.append(trainCounts[i])
				.append(" | ")
				.append(validationCounts[i])
				.append(" |\n");
		}
		sb.append("\nValidation: ").append(validationSource).append(". Seed ").append(seed).append(".\n");
		if (!skipped.isEmpty()) {
			sb.append("\nSkipped files (").append(skipped.size()).append("):\n\n");
			skipped.stream().limit(50).forEach(s -> sb.append("- ").append(s).append('\n'));
			if (skipped.size() > 50) {
				sb.append("- … and ").append(skipped.size() - 50).append(" more\n");
			}
		}
		sb.append("\n## Model\n\n");
		sb.append("- Base: `").append(baseModel.getFileName()).append('`');
		if (baseModelLicence != null) {
			sb.append(" (").append(baseModelLicence).append(')');
		}
		sb.append(", cut after layer `").append(cutLayer).append("` (").append(featureSize).append(" features).\n");
		sb.append("- Head: Dense softmax layer `")
			.append(headLayer)
			.append("`, trained by ")
			.append(trainer)
			.append(" (")
			.append(trainerDetail)
			.append(").\n");
		sb.append(String.format(Locale.ROOT, "- Training accuracy: %.1f %%.%n", 100 * trainAccuracy));
		if (!Double.isNaN(reloadMaxDifference)) {
			sb.append(String.format(Locale.ROOT,
					"- The written .h5, imported again by the app's importer, gives the"
							+ " same probabilities as the in-memory model within %.1e on validation photos.%n",
					reloadMaxDifference));
		}
		sb.append("\n## Validation confusion matrix\n\n").append(validation.toMarkdown());
		sb.append("\n## Time\n\n");
		sb.append(String.format(Locale.ROOT, "- Feature extraction: %d photos in %.1f s, %.1f photos/s.%n", photos,
				featureSeconds, photosPerSecond));
		sb.append(String.format(Locale.ROOT, "- Whole run: %.1f s (%d cores).%n", totalTime.toMillis() / 1000.0,
				Runtime.getRuntime().availableProcessors()));
		if (commandLine != null) {
			sb.append("\n## Re-run\n\n```\n").append(commandLine).append("\n```\n");
		}
		return sb.toString();
	}
}
