package org.mlpages.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mlpages.keras.ModelDefinition.LayerDef;
import org.mlpages.keras.ModelDefinition.Ref;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Keras .h5 model cut after one of its layers (by default the last global pooling or
 * Flatten layer), so that what the network computes up to there can serve as features for
 * a new classification head, and the base plus that head can be written back as one Keras
 * .h5 ({@link #writeWithDenseHead}).
 *
 * <p>
 * The cut works on the model config itself: the Sequential or Functional model that holds
 * the cut layer keeps only what leads to it, and every enclosing model ends with the
 * model that holds it. The head is appended to the outermost model, so the written file
 * keeps the base's top-level layers, their HDF5 groups and their weight order, which is
 * what Keras's positional weight loading needs.
 *
 * <p>
 * Only Keras 2 / tf.keras / tf_keras files (the {@code inbound_nodes} list-of-lists
 * layout) can be extended. Not thread-safe; close it to release the file.
 */
public final class KerasModelCut implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Path file;

	private final KerasH5File h5;

	private final String kerasVersion;

	private final String backend;

	private final ObjectNode config;

	private final ModelDefinition model;

	private final String cutLayer;

	private final String cutLayerClass;

	private KerasModelCut(Path file, KerasH5File h5, String kerasVersion, String backend, ObjectNode config,
			ModelDefinition model, String cutLayer, String cutLayerClass) {
		this.file = file;
		this.h5 = h5;
		this.kerasVersion = kerasVersion;
		this.backend = backend;
		this.config = config;
		this.model = model;
		this.cutLayer = cutLayer;
		this.cutLayerClass = cutLayerClass;
	}

	/**
	 * Opens {@code h5File} and cuts it after the leaf layer named {@code cutAt}, or, when
	 * {@code cutAt} is null, after its last global pooling or Flatten layer (in config
	 * order), else its last pooling layer.
	 * @throws KerasImportException if the file is not a Keras 2 model, the layer does not
	 * exist, or the model has no pooling layer to cut at
	 */
	public static KerasModelCut open(Path h5File, String cutAt) throws IOException {
		if (!java.nio.file.Files.isRegularFile(h5File)) {
			throw new java.nio.file.NoSuchFileException(h5File.toString());
		}
		KerasH5File h5 = KerasH5File.open(h5File);
		try {
			h5.requireLegacyWeightsLayout();
			String version = h5.kerasVersion();
			JsonNode config = KerasModelFile.parseJson(h5.modelConfigJson(), "model_config");
			ModelDefinition model = ModelDefinition.parse(config, ModelDefinition.kerasMajor(version, config));
			if (model.kerasMajor() >= 3) {
				throw new KerasImportException("The base model was written by Keras " + version
						+ "; only Keras 2 / tf.keras / tf_keras .h5 models can be cut and extended");
			}
			List<LayerDef> leaves = new ArrayList<>();
			collectLeaves(model, leaves);
			LayerDef cut = null;
			if (cutAt == null) {
				// The head needs one vector per image: the last global pooling or Flatten
				// layer gives one, a
				// MaxPooling2D followed by Flatten does not, so those are preferred to
				// any pooling layer.
				for (LayerDef leaf : leaves) {
					String c = leaf.className();
					if ((c.startsWith("Global") && c.contains("Pooling")) || c.equals("Flatten")) {
						cut = leaf;
					}
				}
				for (int i = leaves.size() - 1; i >= 0 && cut == null; i--) {
					if (leaves.get(i).className().contains("Pooling")) {
						cut = leaves.get(i);
					}
				}
				if (cut == null) {
					throw new KerasImportException("The model has no pooling layer to cut at; name one with --cut-at"
							+ " (its output must be a feature vector)");
				}
			}
			else {
				for (LayerDef leaf : leaves) {
					if (leaf.name().equals(cutAt)) {
						cut = leaf;
					}
				}
				if (cut == null) {
					throw new KerasImportException("The model has no layer named '" + cutAt + "'");
				}
			}
			ObjectNode truncated = truncate(config, cut.name(), model.kerasMajor());
			ModelDefinition def = ModelDefinition.parse(truncated, model.kerasMajor());
			return new KerasModelCut(h5File, h5, version, h5.backend(), truncated, def, cut.name(), cut.className());
		}
		catch (HdfException e) {
			h5.close();
			throw new KerasImportException("Cannot read " + h5File.getFileName() + ": " + e.getMessage(), e);
		}
		catch (RuntimeException e) {
			h5.close();
			throw e;
		}
	}

	public Path file() {
		return file;
	}

	/** The leaf layer after which the model was cut. */
	public String cutLayer() {
		return cutLayer;
	}

	public String cutLayerClass() {
		return cutLayerClass;
	}

	public String kerasVersion() {
		return kerasVersion;
	}

	/** The input shape with -1 for the batch, e.g. {@code [-1, 224, 224, 3]}. */
	public long[] inputShape() {
		return ModelGraphBuilder.inputShape(model);
	}

	/** The config of the cut model ({@code class_name} and {@code config}), a copy. */
	public JsonNode config() {
		return config.deepCopy();
	}

	/**
	 * Builds the cut model in TensorFlow, weights as constants, ready to turn input
	 * batches into features. Loads the native libraries under {@code cacheRoot} unless
	 * they were loaded already.
	 */
	public KerasFeatureExtractor openExtractor(Path cacheRoot) {
		return open(cacheRoot, 2);
	}

	/**
	 * As {@link #openExtractor}, for a cut that ends in a feature map (batch, height,
	 * width, channels) rather than a vector.
	 */
	KerasFeatureExtractor openFeatureMaps(Path cacheRoot) {
		return open(cacheRoot, 4);
	}

	private KerasFeatureExtractor open(Path cacheRoot, int rank) {
		ModelGraphBuilder builder = new ModelGraphBuilder(LayerConverters.defaults(), h5);
		builder.inspect(model);
		if (System.getProperty("TENSORFLOW_LIBRARY_PATH") == null) {
			TensorFlowNatives.ensureLoaded(cacheRoot);
		}
		return KerasFeatureExtractor.build(builder, model, inputShape(), rank);
	}

	/**
	 * Writes the cut model followed by {@code Dense(units, activation)} named
	 * {@code headName} (made unique if the base already has that name) as a Keras .h5
	 * file, and returns the name the head got.
	 * @param kernel [features][units], Keras's Dense kernel layout
	 * @param bias [units]
	 */
	public String writeWithDenseHead(Path out, String headName, float[][] kernel, float[] bias, String activation)
			throws IOException {
		int units = bias.length;
		if (kernel.length == 0 || kernel[0].length != units) {
			throw new IllegalArgumentException("kernel must be [features][" + units + "]");
		}
		Set<String> names = new HashSet<>();
		collectNames(config, names);
		String head = headName;
		for (int i = 1; names.contains(head); i++) {
			head = headName + "_" + i;
		}

		ObjectNode withHead = config.deepCopy();
		ObjectNode dense = JSON.createObjectNode();
		dense.put("class_name", "Dense");
		ObjectNode dc = dense.putObject("config");
		dc.put("name", head);
		dc.put("trainable", true);
		dc.put("dtype", "float32");
		dc.put("units", units);
		dc.put("activation", activation);
		dc.put("use_bias", true);
		if (model.isSequential()) {
			layersOf(withHead).add(dense);
		}
		else {
			Ref out0 = model.outputs().get(0);
			dense.put("name", head);
			ArrayNode ref = dense.putArray("inbound_nodes").addArray().addArray();
			ref.add(out0.layer()).add(out0.node()).add(out0.tensor()).addObject();
			layersOf(withHead).add(dense);
			ArrayNode outputs = ((ObjectNode) withHead.get("config")).putArray("output_layers");
			outputs.addArray().add(head).add(0).add(0);
		}

		List<KerasH5Writer.LayerGroup> groups = new ArrayList<>(baseGroups());
		groups.add(new KerasH5Writer.LayerGroup(head, List.of(head + "/kernel:0", head + "/bias:0"),
				List.of(kernel, bias)));
		KerasH5Writer.write(out, withHead, kerasVersion, backend, groups);
		return head;
	}

	/**
	 * The base file's weight groups for the top-level layers that survived the cut, in
	 * the file's {@code layer_names} order; inside a nested model's group only the
	 * weights of kept leaves, in their stored order (Keras assigns them by position).
	 */
	List<KerasH5Writer.LayerGroup> baseGroups() {
		Set<String> topLevel = new LinkedHashSet<>();
		for (LayerDef def : model.layers()) {
			topLevel.add(def.name());
		}
		Set<String> keptLeaves = new HashSet<>();
		List<LayerDef> leaves = new ArrayList<>();
		collectLeaves(model, leaves);
		for (LayerDef leaf : leaves) {
			keptLeaves.add(leaf.name());
		}
		List<KerasH5Writer.LayerGroup> groups = new ArrayList<>();
		// a second, raw view of the file: the datasets are copied as jHDF reads them,
		// whatever their rank
		try (HdfFile raw = new HdfFile(file)) {
			Node mw = raw.getChild("model_weights");
			Group root = mw instanceof Group g ? g : raw;
			for (String name : h5.layerNames()) {
				if (!topLevel.contains(name)) {
					continue;
				}
				LayerDef def = model.layers().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
				Node node = root.getChild(name);
				List<String> weightNames = new ArrayList<>();
				List<Object> values = new ArrayList<>();
				if (node instanceof Group group) {
					for (String w : KerasH5File.stringList(group, "weight_names")) {
						if (def.nested() != null && keptLeaves.stream().noneMatch(l -> KerasH5File.belongsTo(w, l))) {
							continue;
						}
						if (!(group.getByPath(w) instanceof Dataset ds)) {
							throw new KerasImportException("Weight " + name + "/" + w + " is not a dataset");
						}
						weightNames.add(w);
						values.add(ds.getData());
					}
				}
				groups.add(new KerasH5Writer.LayerGroup(name, weightNames, values));
			}
		}
		return groups;
	}

	@Override
	public void close() {
		h5.close();
	}

	// ---- config surgery ----

	private static void collectLeaves(ModelDefinition m, List<LayerDef> out) {
		for (LayerDef def : m.layers()) {
			if (def.nested() != null) {
				collectLeaves(def.nested(), out);
			}
			else {
				out.add(def);
			}
		}
	}

	private static void collectNames(JsonNode m, Set<String> out) {
		JsonNode cfg = m.get("config");
		if (cfg != null && cfg.isObject() && cfg.path("name").isString()) {
			out.add(cfg.path("name").stringValue());
		}
		if (m.path("name").isString()) {
			out.add(m.path("name").stringValue());
		}
		if (isModel(m)) {
			for (JsonNode l : layersOf(m)) {
				collectNames(l, out);
			}
		}
	}

	private static boolean isModel(JsonNode layer) {
		return LayerConverters.MODEL_CLASSES.contains(layer.path("class_name").asString(""));
	}

	private static ArrayNode layersOf(JsonNode model) {
		JsonNode cfg = model.get("config");
		JsonNode layers = cfg != null && cfg.isArray() ? cfg : cfg == null ? null : cfg.get("layers");
		if (!(layers instanceof ArrayNode a)) {
			throw new KerasImportException("Model has no layer list");
		}
		return a;
	}

	private static String nameOf(JsonNode layer) {
		if (layer.path("name").isString()) {
			return layer.path("name").stringValue();
		}
		return layer.path("config").path("name").asString(null);
	}

	/**
	 * A copy of {@code model} that ends at leaf {@code cut}, or null when {@code cut} is
	 * not inside it. A Sequential model drops the layers after the one holding the cut; a
	 * Functional model outputs that layer and drops every layer its output does not
	 * depend on.
	 */
	static ObjectNode truncate(JsonNode model, String cut, int kerasMajor) {
		ObjectNode copy = (ObjectNode) model.deepCopy();
		ArrayNode layers = layersOf(copy);
		int index = -1;
		for (int i = 0; i < layers.size() && index < 0; i++) {
			JsonNode layer = layers.get(i);
			if (isModel(layer)) {
				ObjectNode inner = truncate(layer, cut, kerasMajor);
				if (inner != null) {
					layers.set(i, inner);
					index = i;
				}
			}
			else if (cut.equals(nameOf(layer))) {
				index = i;
			}
		}
		if (index < 0) {
			return null;
		}
		if ("Sequential".equals(copy.path("class_name").asString(""))) {
			while (layers.size() > index + 1) {
				layers.remove(layers.size() - 1);
			}
			return copy;
		}
		String target = nameOf(layers.get(index));
		// A nested model's calls may be numbered from 1 (see LayerDef.firstNodeIndex):
		// reuse the index the
		// config already uses for this layer where there is one.
		ModelDefinition parsed = ModelDefinition.parse(copy, kerasMajor);
		int node = 0;
		for (LayerDef def : parsed.layers()) {
			for (List<Ref> call : def.inboundNodes()) {
				for (Ref r : call) {
					if (r.layer().equals(target)) {
						node = r.node();
					}
				}
			}
		}
		for (Ref r : parsed.outputs()) {
			if (r.layer().equals(target)) {
				node = r.node();
			}
		}
		ArrayNode outputs = ((ObjectNode) copy.get("config")).putArray("output_layers");
		outputs.addArray().add(target).add(node).add(0);

		// keep only what the new output depends on, in the original order
		Set<String> needed = new HashSet<>();
		Deque<String> todo = new ArrayDeque<>(List.of(target));
		while (!todo.isEmpty()) {
			String name = todo.pop();
			if (!needed.add(name)) {
				continue;
			}
			for (LayerDef def : parsed.layers()) {
				if (def.name().equals(name)) {
					def.inboundNodes().forEach(call -> call.forEach(r -> todo.push(r.layer())));
				}
			}
		}
		for (int i = layers.size() - 1; i >= 0; i--) {
			if (!needed.contains(nameOf(layers.get(i)))) {
				layers.remove(i);
			}
		}
		return copy;
	}

	/** The JSON text of a model config, for tests and diagnostics. */
	static String toJson(JsonNode node) {
		return JSON.writeValueAsString(node);
	}

}
