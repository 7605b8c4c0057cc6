package org.mlpages.keras;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlpages.keras.ModelDefinition.LayerDef;
import org.mlpages.keras.ModelDefinition.Ref;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import tools.jackson.databind.JsonNode;

/**
 * Turns a parsed Keras model into TensorFlow ops: leaves through their
 * {@link LayerConverter}, nested Sequential and Functional models recursively. Knows
 * nothing about files or SavedModels.
 */
final class ModelGraphBuilder {

	/**
	 * What can be learnt from the config alone, before any TensorFlow work.
	 *
	 * @param outputActivation the activation that makes the model's output ("softmax",
	 * "sigmoid", "linear" ...), or null when the last layer that computes something has
	 * none of its own
	 * @param inputRescaling the layer that rescales the model's input, described (e.g.
	 * "rescaling (Rescaling)"), or null when the model takes its input as given
	 */
	record Inspection(long[] inputShape, List<String> layers, String outputActivation, String inputRescaling) {
	}

	/**
	 * Layers that compute nothing at inference, or only fit the picture's size: skipped
	 * when looking for what a model does first and last.
	 */
	private static final java.util.Set<String> PASS_THROUGH = passThrough();

	/**
	 * Layers that only rearrange values: an activation before them still makes the
	 * output.
	 */
	private static final java.util.Set<String> SHAPE_ONLY = java.util.Set.of("Flatten", "Reshape", "Permute");

	/** Whether a layer of this class leaves its input as it is at inference. */
	static boolean computesNothing(String className) {
		return PASS_THROUGH.contains(className);
	}

	private static java.util.Set<String> passThrough() {
		java.util.Set<String> classes = new java.util.HashSet<>(
				new org.mlpages.keras.layers.DropoutConverter().kerasClasses());
		classes.addAll(List.of("InputLayer", "Resizing", "CenterCrop"));
		return java.util.Set.copyOf(classes);
	}

	/** The graph's endpoints. */
	record Built(Placeholder<TFloat32> input, Operand<TFloat32> output) {
	}

	private final LayerConverters converters;

	private final WeightSource weights;

	ModelGraphBuilder(LayerConverters converters, WeightSource weights) {
		this.converters = converters;
		this.weights = weights;
	}

	/**
	 * Checks every layer of the model tree against the converters (throwing
	 * {@link UnsupportedLayerException} for the first unknown one) and works out the
	 * input shape.
	 */
	Inspection inspect(ModelDefinition model) {
		List<String> summary = new ArrayList<>();
		inspect(model, "", summary);
		checkEndpoints(model);
		LayerDef first = firstComputing(model);
		boolean rescales = first != null && List.of("Rescaling", "Normalization").contains(first.className());
		return new Inspection(inputShape(model), List.copyOf(summary), outputActivation(model),
				rescales ? first.name() + " (" + first.className() + ")" : null);
	}

	/** The first layer, in config order, that changes the values it is given. */
	private static LayerDef firstComputing(ModelDefinition model) {
		for (LayerDef def : model.layers()) {
			if (def.nested() != null) {
				LayerDef inner = firstComputing(def.nested());
				if (inner != null) {
					return inner;
				}
			}
			else if (!PASS_THROUGH.contains(def.className())) {
				return def;
			}
		}
		return null;
	}

	/**
	 * The activation of the last layer that computes the output: a Softmax layer, an
	 * Activation layer, or a layer's own {@code activation} option.
	 */
	static String outputActivation(ModelDefinition model) {
		LayerDef last = lastComputing(model);
		if (last == null) {
			return null;
		}
		if ("Softmax".equals(last.className())) {
			return "softmax";
		}
		var activation = last.layer().config().get("activation");
		return activation != null && activation.isString() ? activation.stringValue() : null;
	}

	private static LayerDef lastComputing(ModelDefinition model) {
		Map<String, LayerDef> byName = new HashMap<>();
		model.layers().forEach(def -> byName.put(def.name(), def));
		LayerDef def = model.isSequential()
				? (model.layers().isEmpty() ? null : model.layers().get(model.layers().size() - 1))
				: byName.get(model.outputs().get(0).layer());
		int guard = model.layers().size();
		while (def != null && guard-- >= 0) {
			if (def.nested() != null) {
				return lastComputing(def.nested());
			}
			if (!(PASS_THROUGH.contains(def.className()) || SHAPE_ONLY.contains(def.className())) || def.isInput()) {
				return def.isInput() ? null : def;
			}
			if (model.isSequential()) {
				int i = model.layers().indexOf(def);
				def = i > 0 ? model.layers().get(i - 1) : null;
			}
			else {
				List<Ref> in = def.inboundNodes().isEmpty() ? List.of() : def.inboundNodes().get(0);
				def = in.size() == 1 ? byName.get(in.get(0).layer()) : null;
			}
		}
		return null;
	}

	/**
	 * Refuses models with several inputs or outputs: the SavedModel signature has one of
	 * each.
	 */
	void checkEndpoints(ModelDefinition model) {
		int inputs = model.isSequential() ? 1 : model.inputs().size();
		if (inputs != 1) {
			throw new KerasImportException(
					"Model '" + model.name() + "' has " + inputs + " inputs; only one is supported");
		}
		if (!model.isSequential() && model.outputs().size() != 1) {
			throw new KerasImportException(
					"Model '" + model.name() + "' has " + model.outputs().size() + " outputs; only one is supported");
		}
	}

	private void inspect(ModelDefinition model, String path, List<String> summary) {
		for (LayerDef def : model.layers()) {
			if (def.nested() != null) {
				inspect(def.nested(), path + def.name() + "/", summary);
				continue;
			}
			LayerConverter converter = converters.find(def.className())
				.orElseThrow(() -> new UnsupportedLayerException(def.name(), def.className()));
			converter.validate(def.layer());
			summary.add(path + def.name() + " (" + def.className() + ")");
		}
	}

	/** The batch input shape with -1 for unknown dimensions (the batch). */
	static long[] inputShape(ModelDefinition model) {
		if (model.layers().isEmpty()) {
			throw new KerasImportException("Model '" + model.name() + "' has no layers");
		}
		if (model.isSequential()) {
			LayerDef first = model.layers().get(0);
			long[] shape = declaredShape(first.layer().config());
			if (shape != null) {
				return shape;
			}
			if (first.nested() != null) {
				return inputShape(first.nested());
			}
			if (model.buildInputShape() != null && !model.buildInputShape().isEmpty()) {
				return toShape(model.buildInputShape());
			}
			throw new KerasImportException("Sequential model '" + model.name() + "' declares no input shape");
		}
		Ref in = model.inputs().get(0);
		for (LayerDef def : model.layers()) {
			if (def.name().equals(in.layer())) {
				long[] shape = declaredShape(def.layer().config());
				if (shape != null) {
					return shape;
				}
			}
		}
		throw new KerasImportException("Model '" + model.name() + "' declares no shape for its input " + in.layer());
	}

	/**
	 * {@code batch_input_shape} (Keras 2), {@code batch_shape} (Keras 3) of a layer
	 * config.
	 */
	private static long[] declaredShape(JsonNode config) {
		for (String key : new String[] { "batch_input_shape", "batch_shape" }) {
			JsonNode s = config.get(key);
			if (s != null && s.isArray() && !s.isEmpty()) {
				return toShape(s);
			}
		}
		return null;
	}

	/**
	 * A JSON batch shape with nulls for unknown sizes; the batch dimension always becomes
	 * -1.
	 */
	private static long[] toShape(JsonNode s) {
		long[] shape = new long[s.size()];
		for (int i = 0; i < shape.length; i++) {
			shape[i] = s.get(i).isNumber() ? s.get(i).longValue() : -1L;
		}
		shape[0] = -1L;
		return shape;
	}

	Built build(Ops tf, ModelDefinition model, String inputName, String outputName) {
		long[] shape = inputShape(model);
		Placeholder<TFloat32> input = tf.withName(inputName)
			.placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
		List<Operand<TFloat32>> outputs = buildModel(tf, model, List.of(input), null);
		if (outputs.size() != 1) {
			throw new KerasImportException(
					"Model '" + model.name() + "' has " + outputs.size() + " outputs; only one is supported");
		}
		return new Built(input, tf.withName(outputName).identity(outputs.get(0)));
	}

	/**
	 * @param parent the path of the layer that is this model, or null for the outermost
	 * model
	 */
	List<Operand<TFloat32>> buildModel(Ops tf, ModelDefinition model, List<Operand<TFloat32>> inputs,
			LayerPath parent) {
		return model.isSequential() ? buildSequential(tf, model, inputs, parent)
				: buildFunctional(tf, model, inputs, parent);
	}

	private List<Operand<TFloat32>> buildSequential(Ops tf, ModelDefinition model, List<Operand<TFloat32>> inputs,
			LayerPath parent) {
		if (inputs.size() != 1) {
			throw new KerasImportException(
					"Sequential model '" + model.name() + "' called with " + inputs.size() + " inputs");
		}
		List<Operand<TFloat32>> x = inputs;
		for (LayerDef def : model.layers()) {
			if (def.isInput()) {
				continue;
			}
			x = apply(tf, LayerPath.of(parent, model, def), x);
		}
		return x;
	}

	private List<Operand<TFloat32>> buildFunctional(Ops tf, ModelDefinition model, List<Operand<TFloat32>> inputs,
			LayerPath parent) {
		if (inputs.size() != model.inputs().size()) {
			throw new KerasImportException(
					"Model '" + model.name() + "' expects " + model.inputs().size() + " inputs, got " + inputs.size());
		}
		Map<String, LayerDef> byName = new HashMap<>();
		for (LayerDef def : model.layers()) {
			if (byName.put(def.name(), def) != null) {
				throw new KerasImportException(
						"Model '" + model.name() + "' has two layers named '" + def.name() + "'");
			}
		}
		Tensors tensors = new Tensors(byName);
		for (int i = 0; i < inputs.size(); i++) {
			Ref ref = model.inputs().get(i);
			tensors.put(ref.layer(), 0, List.of(inputs.get(i)));
		}

		// Keras lists layers in a usable order, but shared layers can be called later
		// than they are
		// listed, so nodes are applied as soon as their inputs exist until none is left.
		record Pending(LayerDef def, int node, List<Ref> refs) {
		}
		List<Pending> pending = new ArrayList<>();
		for (LayerDef def : model.layers()) {
			for (int k = 0; k < def.inboundNodes().size(); k++) {
				pending.add(new Pending(def, def.firstNodeIndex() + k, def.inboundNodes().get(k)));
			}
		}
		while (!pending.isEmpty()) {
			boolean progress = false;
			for (var it = pending.iterator(); it.hasNext();) {
				Pending p = it.next();
				List<Operand<TFloat32>> ins = new ArrayList<>();
				for (Ref ref : p.refs()) {
					Operand<TFloat32> t = tensors.get(ref);
					if (t == null) {
						ins = null;
						break;
					}
					ins.add(t);
				}
				if (ins == null) {
					continue;
				}
				if (ins.isEmpty()) {
					throw new KerasImportException(
							"Layer '" + p.def().name() + "' of model '" + model.name() + "' has a call without inputs");
				}
				tensors.put(p.def().name(), p.node(), apply(tf, LayerPath.of(parent, model, p.def()), ins));
				it.remove();
				progress = true;
			}
			if (!progress) {
				Pending p = pending.get(0);
				throw new KerasImportException("Model '" + model.name() + "': cannot resolve the inputs " + p.refs()
						+ " of layer '" + p.def().name() + "'");
			}
		}
		List<Operand<TFloat32>> outputs = new ArrayList<>();
		for (Ref ref : model.outputs()) {
			Operand<TFloat32> t = tensors.get(ref);
			if (t == null) {
				throw new KerasImportException("Model '" + model.name() + "': output " + ref + " is never computed");
			}
			outputs.add(t);
		}
		return outputs;
	}

	private List<Operand<TFloat32>> apply(Ops tf, LayerPath path, List<Operand<TFloat32>> inputs) {
		LayerDef def = path.leaf();
		if (def.nested() != null) {
			return buildModel(tf, def.nested(), inputs, path);
		}
		LayerConverter converter = converters.find(def.className())
			.orElseThrow(() -> new UnsupportedLayerException(def.name(), def.className()));
		return List.of(converter.convert(tf, def.layer(), weights.weightsFor(path), inputs));
	}

	/** Outputs of layer calls, by layer name and call index. */
	private static final class Tensors {

		private final Map<String, Map<Integer, List<Operand<TFloat32>>>> byLayer = new HashMap<>();

		private final Map<String, LayerDef> defs;

		Tensors(Map<String, LayerDef> defs) {
			this.defs = defs;
		}

		void put(String layer, int node, List<Operand<TFloat32>> outputs) {
			byLayer.computeIfAbsent(layer, k -> new LinkedHashMap<>()).put(node, outputs);
		}

		Operand<TFloat32> get(Ref ref) {
			Map<Integer, List<Operand<TFloat32>>> nodes = byLayer.get(ref.layer());
			if (nodes == null) {
				return null;
			}
			List<Operand<TFloat32>> outs = nodes.get(ref.node());
			LayerDef def = defs.get(ref.layer());
			if (outs == null && def != null && def.inboundNodes().size() <= 1 && nodes.size() == 1) {
				// Call numbering differs between Keras versions (see
				// LayerDef.firstNodeIndex); a layer
				// called once is unambiguous whatever index the reference carries.
				outs = nodes.values().iterator().next();
			}
			if (outs == null || ref.tensor() >= outs.size()) {
				return null;
			}
			return outs.get(ref.tensor());
		}

	}

}
