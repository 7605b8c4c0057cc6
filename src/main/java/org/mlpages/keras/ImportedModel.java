package org.mlpages.keras;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A Keras model converted to a TensorFlow SavedModel with a {@code serving_default}
 * signature of one float32 NHWC (or [batch, features]) input and one output.
 *
 * @param savedModelDir directory to hand to DJL ({@code Criteria.optModelPath}), engine
 * "TensorFlow"
 * @param sha256 hex SHA-256 of the model file (of its files, for several), also the cache
 * key
 * @param fileSize size of the model file (its files) in bytes
 * @param kerasVersion {@code keras_version} attribute of the file, or null
 * @param backend {@code backend} attribute of the file, or null
 * @param inputShape input shape with -1 for the batch (and any other unknown) dimension
 * @param outputSize size of the output's last dimension, -1 if not static
 * @param inputKey signature input key
 * @param outputKey signature output key
 * @param layerSummary leaf layers in config order, as {@code outer/inner/name (Class)}
 * @param fromCache whether the SavedModel was already in the cache
 * @param importTime wall time of this import call
 * @param format what the file was, e.g. "Keras 3 archive (.keras)"
 * @param outputActivation the activation of the layer that makes the output ("softmax",
 * "sigmoid", "linear" ...), or null if it cannot be told
 * @param inputRescaling the layer inside the model that rescales its input, e.g.
 * "rescaling (Rescaling)", or null if the model takes its input as given
 */
public record ImportedModel(Path savedModelDir, String sha256, long fileSize, String kerasVersion, String backend,
		long[] inputShape, int outputSize, String inputKey, String outputKey, List<String> layerSummary,
		boolean fromCache, Duration importTime, String format, String outputActivation, String inputRescaling) {

	public ImportedModel {
		Objects.requireNonNull(savedModelDir, "savedModelDir");
		Objects.requireNonNull(sha256, "sha256");
		inputShape = inputShape.clone();
		layerSummary = List.copyOf(layerSummary);
	}

	@Override
	public long[] inputShape() {
		return inputShape.clone();
	}

	public int layerCount() {
		return layerSummary.size();
	}

	// Records compare arrays by identity; compare the shape by value instead.
	@Override
	public boolean equals(Object o) {
		return o instanceof ImportedModel m && savedModelDir.equals(m.savedModelDir) && sha256.equals(m.sha256)
				&& fileSize == m.fileSize && Objects.equals(kerasVersion, m.kerasVersion)
				&& Objects.equals(backend, m.backend) && Arrays.equals(inputShape, m.inputShape)
				&& outputSize == m.outputSize && Objects.equals(inputKey, m.inputKey)
				&& Objects.equals(outputKey, m.outputKey) && layerSummary.equals(m.layerSummary)
				&& fromCache == m.fromCache && Objects.equals(importTime, m.importTime)
				&& Objects.equals(format, m.format) && Objects.equals(outputActivation, m.outputActivation)
				&& Objects.equals(inputRescaling, m.inputRescaling);
	}

	@Override
	public int hashCode() {
		return Objects.hash(savedModelDir, sha256, fileSize, kerasVersion, backend, Arrays.hashCode(inputShape),
				outputSize, inputKey, outputKey, layerSummary, fromCache, importTime, format, outputActivation,
				inputRescaling);
	}

	@Override
	public String toString() {
		return "ImportedModel[" + savedModelDir + ", sha256=" + sha256 + ", keras " + kerasVersion + "/" + backend
				+ ", input " + Arrays.toString(inputShape) + " -> " + outputSize + ", " + layerCount() + " layers, "
				+ (fromCache ? "from cache" : "converted") + " in " + importTime.toMillis() + " ms]";
	}
}
