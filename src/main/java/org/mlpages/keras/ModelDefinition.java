package org.mlpages.keras;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A Keras model config parsed into a tree: Sequential and Functional models whose layers
 * are leaves or nested models. Covers the shapes Keras has written over the years: Keras
 * 2.2's bare list of layers for Sequential, {@code {"layers": [...]}} since, the
 * list-of-lists {@code inbound_nodes} of Keras 2.x and tf_keras, and Keras 3's
 * {@code {"args": [...]}} nodes with {@code keras_history}.
 */
record ModelDefinition(String name, String className, List<LayerDef> layers, List<Ref> inputs, List<Ref> outputs,
		int kerasMajor, JsonNode buildInputShape) {

	/** A reference to output {@code tensor} of call {@code node} of a layer. */
	record Ref(String layer, int node, int tensor) {
		@Override
		public String toString() {
			return layer + "[" + node + "][" + tensor + "]";
		}
	}

	/** A layer entry; {@code nested} is set when the layer is itself a model. */
	record LayerDef(KerasLayer layer, ModelDefinition nested, List<List<Ref>> inboundNodes) {
		String name() {
			return layer.name();
		}

		String className() {
			return layer.className();
		}

		boolean isInput() {
			return "InputLayer".equals(layer.className());
		}

		/**
		 * Keras 2 numbers a nested model's calls from 1 when the model was built with its
		 * own Input: call 0 is the one made while constructing it, and that call is not
		 * in the config. Keras 3 makes no such call.
		 */
		int firstNodeIndex() {
			if (nested == null || layer.kerasMajor() >= 3) {
				return 0;
			}
			if (!nested.isSequential()) {
				return 1;
			}
			return !nested.layers.isEmpty() && nested.layers.get(0).isInput() ? 1 : 0;
		}
	}

	boolean isSequential() {
		return "Sequential".equals(className);
	}

	static ModelDefinition parse(JsonNode model) {
		return parse(model, kerasMajor(null, model));
	}

	/**
	 * The Keras major version that wrote a config: from the file's {@code keras_version}
	 * when there is one ("2.2.4", "2.4.0-tf", "2.16.1", "3.6.0"), else from the config
	 * itself: only Keras 3 (and tf.keras 2.13+ in its new format, which has no h5
	 * counterpart) writes {@code module} keys and {@code __keras_tensor__} references.
	 */
	static int kerasMajor(String kerasVersion, JsonNode model) {
		if (kerasVersion != null && !kerasVersion.isBlank()) {
			String v = kerasVersion.trim();
			int dot = v.indexOf('.');
			try {
				return Integer.parseInt(dot > 0 ? v.substring(0, dot) : v);
			}
			catch (NumberFormatException e) {
				// fall through to the config
			}
		}
		if (model != null) {
			String text = model.toString();
			// tf_keras 2.13+ also writes module and registered_name keys, so those prove
			// nothing; Keras 3 alone references tensors this way and writes dtype
			// policies as objects
			if (text.contains("\"__keras_tensor__\"") || text.contains("\"DTypePolicy\"")
					|| text.contains("\"FloatDTypePolicy\"")) {
				return 3;
			}
		}
		return 2;
	}

	static ModelDefinition parse(JsonNode model, int kerasMajor) {
		if (model == null || !model.isObject()) {
			throw new KerasImportException("model_config is not a JSON object");
		}
		String className = text(model.get("class_name"));
		if (className == null || !LayerConverters.MODEL_CLASSES.contains(className)) {
			throw new KerasImportException(
					"model_config describes a " + className + ", not a Sequential or Functional model");
		}
		JsonNode config = model.get("config");
		JsonNode layersNode;
		String name;
		if (config != null && config.isArray()) {
			layersNode = config;
			name = text(model.get("name"));
		}
		else if (config != null && config.isObject()) {
			layersNode = config.get("layers");
			name = text(config.get("name"));
		}
		else {
			throw new KerasImportException("Model has no config");
		}
		if (layersNode == null || !layersNode.isArray()) {
			throw new KerasImportException("Model '" + name + "' has no layer list");
		}
		if (name == null) {
			name = className.toLowerCase();
		}
		List<LayerDef> layers = new ArrayList<>();
		for (JsonNode entry : layersNode) {
			layers.add(parseLayer(entry, name, kerasMajor));
		}
		List<Ref> inputs = null;
		List<Ref> outputs = null;
		if (!"Sequential".equals(className)) {
			inputs = parseEndpoints(config.get("input_layers"), name, "input_layers");
			outputs = parseEndpoints(config.get("output_layers"), name, "output_layers");
			if (kerasMajor >= 3) {
				inputs = renumberNestedFunctional(inputs, layers);
				outputs = renumberNestedFunctional(outputs, layers);
			}
		}
		// Sequential models built from input_shape on their first layer only (Keras 3
		// without an
		// InputLayer entry) keep the shape here or in the first layer's build_config
		JsonNode buildShape = config.isObject() ? config.get("build_input_shape") : null;
		if ((buildShape == null || !buildShape.isArray()) && !layersNode.isEmpty()) {
			buildShape = layersNode.get(0).path("build_config").get("input_shape");
		}
		if (buildShape != null && !buildShape.isArray()) {
			buildShape = null;
		}
		return new ModelDefinition(name, className, List.copyOf(layers), inputs, outputs, kerasMajor, buildShape);
	}

	private static LayerDef parseLayer(JsonNode entry, String modelName, int kerasMajor) {
		if (entry == null || !entry.isObject()) {
			throw new KerasImportException("Model '" + modelName + "' has a layer entry that is not an object");
		}
		String className = text(entry.get("class_name"));
		JsonNode config = entry.get("config");
		String name = text(entry.get("name"));
		if (name == null && config != null) {
			name = text(config.get("name"));
		}
		if (className == null || name == null || config == null || !config.isObject()) {
			throw new KerasImportException("Model '" + modelName + "' has a layer without class_name, name or config: "
					+ abbreviate(entry.toString()));
		}
		ModelDefinition nested = LayerConverters.MODEL_CLASSES.contains(className) ? parse(entry, kerasMajor) : null;
		List<List<Ref>> nodes = new ArrayList<>();
		JsonNode inbound = entry.get("inbound_nodes");
		if (inbound != null && inbound.isArray()) {
			for (JsonNode node : inbound) {
				List<Ref> refs = new ArrayList<>();
				collectRefs(node, refs, name);
				nodes.add(List.copyOf(refs));
			}
		}
		return new LayerDef(new KerasLayer(name, className, config, kerasMajor), nested, List.copyOf(nodes));
	}

	/**
	 * Keras 2: a node is {@code [[name, node, tensor, kwargs], ...]}; Keras 3:
	 * {@code {"args": [...]}}.
	 */
	private static void collectRefs(JsonNode node, List<Ref> out, String layerName) {
		if (node == null || node.isNull()) {
			return;
		}
		if (node.isArray()) {
			if (node.size() >= 3 && node.get(0).isString() && node.get(1).isNumber()) {
				out.add(new Ref(node.get(0).stringValue(), node.get(1).intValue(), node.get(2).intValue()));
				return;
			}
			for (JsonNode child : node) {
				collectRefs(child, out, layerName);
			}
			return;
		}
		if (node.isObject()) {
			if ("__keras_tensor__".equals(text(node.get("class_name")))) {
				JsonNode history = node.path("config").get("keras_history");
				if (history == null || !history.isArray() || history.size() < 3) {
					throw new KerasImportException("Layer '" + layerName + "' has a malformed keras_history: " + node);
				}
				out.add(new Ref(history.get(0).stringValue(), history.get(1).intValue(), history.get(2).intValue()));
			}
			else if (node.has("args")) {
				// kwargs hold options such as training flags or masks, not tensors we
				// route
				collectRefs(node.get("args"), out, layerName);
			}
		}
	}

	/**
	 * Keras 3 counts a nested Functional model's construction as its call 0 when it
	 * writes {@code input_layers} and {@code output_layers}, but not in the
	 * {@code inbound_nodes} it writes, which number its calls from 0 as for any layer.
	 */
	private static List<Ref> renumberNestedFunctional(List<Ref> refs, List<LayerDef> layers) {
		List<Ref> out = new ArrayList<>();
		for (Ref ref : refs) {
			boolean functional = layers.stream()
				.anyMatch(l -> l.name().equals(ref.layer()) && l.nested() != null && !l.nested().isSequential());
			out.add(functional && ref.node() > 0 ? new Ref(ref.layer(), ref.node() - 1, ref.tensor()) : ref);
		}
		return List.copyOf(out);
	}

	private static List<Ref> parseEndpoints(JsonNode node, String modelName, String key) {
		if (node == null || !node.isArray() || node.isEmpty()) {
			throw new KerasImportException("Functional model '" + modelName + "' has no " + key);
		}
		List<Ref> refs = new ArrayList<>();
		collectRefs(node, refs, modelName);
		if (refs.isEmpty()) {
			throw new KerasImportException("Functional model '" + modelName + "' has malformed " + key + ": " + node);
		}
		return List.copyOf(refs);
	}

	private static String text(JsonNode n) {
		return n != null && n.isString() ? n.stringValue() : null;
	}

	private static String abbreviate(String s) {
		return s.length() > 200 ? s.substring(0, 200) + "..." : s;
	}
}
