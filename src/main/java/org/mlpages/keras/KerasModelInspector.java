package org.mlpages.keras;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.jhdf.exceptions.HdfException;
import org.mlpages.keras.ModelDefinition.LayerDef;
import tools.jackson.databind.JsonNode;

/**
 * Describes a Keras model file without converting it: version, kind, input shape, every
 * leaf layer with its settings, weights and whether it can be converted. Unlike the
 * importer it does not stop at the first unsupported layer, so a user sees everything
 * that stands in the way at once. Needs no TensorFlow.
 */
public final class KerasModelInspector {

	/** Config keys that say nothing about what a layer computes at inference. */
	private static final Set<String> NOISE = Set.of("name", "trainable", "dtype", "batch_input_shape", "batch_shape",
			"sparse", "ragged", "seed", "autocast", "synchronized");

	/**
	 * @param path {@code outer/inner/name} of the layer in the model tree
	 * @param settings the config options that matter, as compact JSON
	 * @param problem why it cannot be converted, or null when it can
	 * @param params number of stored weight values (trainable and not, as Keras'
	 * count_params)
	 */
	public record LayerReport(String path, String className, String settings, String problem, long params) {
		public boolean supported() {
			return problem == null;
		}
	}

	/**
	 * @param format what the file turned out to be, e.g. "Keras 3 archive (.keras)"
	 * @param modelKind e.g. "Sequential" or "Functional, with nested Sequential
	 * 'features'"
	 * @param inputShape batch input shape with -1 for unknown sizes, or null if it cannot
	 * be told
	 * @param modelProblem a reason the model as a whole is refused (several inputs ...),
	 * or null
	 */
	public record Report(String format, String kerasVersion, String backend, int kerasMajor, String modelKind,
			long[] inputShape, List<LayerReport> layers, String modelProblem) {

		public long params() {
			return layers.stream().mapToLong(LayerReport::params).sum();
		}

		public boolean supported() {
			return modelProblem == null && layers.stream().allMatch(LayerReport::supported);
		}
	}

	private final LayerConverters converters;

	public KerasModelInspector() {
		this(LayerConverters.defaults());
	}

	public KerasModelInspector(LayerConverters converters) {
		this.converters = converters;
	}

	/**
	 * @throws KerasImportException if the file is not a Keras model (or weights file)
	 * this package reads
	 * @throws IOException if a file cannot be read
	 */
	public Report inspect(Path h5File, Path archJson) throws IOException {
		if (!Files.isRegularFile(h5File)) {
			throw new NoSuchFileException(h5File.toString());
		}
		if (archJson != null && !Files.isRegularFile(archJson)) {
			throw new NoSuchFileException(archJson.toString());
		}
		try (KerasModelFile file = KerasModelFile.open(h5File, archJson, converters)) {
			ModelDefinition model = file.model();
			List<LayerReport> layers = new ArrayList<>();
			List<String> nested = new ArrayList<>();
			walk(model, "", null, file.weights(), layers, nested);

			String problem = null;
			long[] shape = null;
			try {
				shape = ModelGraphBuilder.inputShape(model);
				new ModelGraphBuilder(new LayerConverters(List.of()), WeightSource.NONE).checkEndpoints(model);
			}
			catch (KerasImportException e) {
				problem = e.getMessage();
			}
			String kind = model.className() + (nested.isEmpty() ? "" : ", with nested " + String.join(", ", nested));
			return new Report(file.kind().description(), file.kerasVersion(), file.backend(), model.kerasMajor(), kind,
					shape, List.copyOf(layers), problem);
		}
		catch (HdfException e) {
			throw new KerasImportException("Cannot read " + h5File.getFileName() + ": " + e.getMessage(), e);
		}
	}

	private void walk(ModelDefinition model, String path, LayerPath parent, WeightSource weights, List<LayerReport> out,
			List<String> nested) {
		for (LayerDef def : model.layers()) {
			LayerPath at = LayerPath.of(parent, model, def);
			if (def.nested() != null) {
				nested.add(def.className() + " '" + path + def.name() + "'");
				walk(def.nested(), path + def.name() + "/", at, weights, out, nested);
				continue;
			}
			String problem = null;
			var converter = converters.find(def.className());
			if (converter.isEmpty()) {
				problem = "no converter for class " + def.className();
			}
			else {
				try {
					converter.get().validate(def.layer());
				}
				catch (KerasImportException e) {
					problem = e.getMessage();
				}
			}
			long params = 0;
			try {
				LayerWeights w = weights.weightsFor(at);
				for (Weight weight : w.all().values()) {
					params += weight.data().length;
				}
			}
			catch (KerasImportException e) {
				problem = problem == null ? e.getMessage() : problem;
			}
			out.add(new LayerReport(path + def.name(), def.className(), settings(def.layer().config()), problem,
					params));
		}
	}

	private static String settings(JsonNode config) {
		StringBuilder sb = new StringBuilder();
		for (Map.Entry<String, JsonNode> e : config.properties()) {
			String key = e.getKey();
			if (NOISE.contains(key) || key.endsWith("_initializer") || key.endsWith("_regularizer")
					|| key.endsWith("_constraint")) {
				continue;
			}
			if (!sb.isEmpty()) {
				sb.append(", ");
			}
			JsonNode v = e.getValue();
			sb.append(key).append('=').append(v.isString() ? v.stringValue() : v.toString());
		}
		return sb.toString();
	}

}
