package org.mlpages.keras;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import tools.jackson.databind.json.JsonMapper;

/** Runs one converter on a tiny graph and returns what TensorFlow computes. */
final class ConverterHarness {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	record Input(long[] shape, float[] values) {
	}

	record Output(long[] shape, float[] values) {
		@Override
		public String toString() {
			return Arrays.toString(shape) + Arrays.toString(values);
		}
	}

	private ConverterHarness() {
	}

	static Input input(long[] shape, float... values) {
		return new Input(shape, values);
	}

	static long[] shape(long... dims) {
		return dims;
	}

	static KerasLayer layer(String className, String configJson) {
		return new KerasLayer("test_layer", className, JSON.readTree(configJson));
	}

	static Weight weight(String name, long[] shape, float... values) {
		return new Weight(name, shape, values);
	}

	static LayerWeights weights(Weight... ws) {
		Map<String, Weight> map = new LinkedHashMap<>();
		for (Weight w : ws) {
			map.put(w.name(), w);
		}
		return new LayerWeights("test_layer", map);
	}

	static Output run(LayerConverter converter, KerasLayer layer, LayerWeights weights, Input... inputs) {
		TestSupport.loadNatives();
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			List<Operand<TFloat32>> placeholders = new ArrayList<>();
			for (Input in : inputs) {
				placeholders.add(tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(in.shape()))));
			}
			converter.validate(layer);
			// identity: a converter may return its input, and TF refuses to fetch a fed
			// tensor
			Operand<TFloat32> out = tf.identity(converter.convert(tf, layer, weights, placeholders));
			Session.Runner runner = s.runner();
			List<TFloat32> fed = new ArrayList<>();
			try {
				for (int i = 0; i < inputs.length; i++) {
					TFloat32 t = TFloat32.tensorOf(Shape.of(inputs[i].shape()),
							DataBuffers.of(inputs[i].values(), true, false));
					fed.add(t);
					runner.feed(placeholders.get(i), t);
				}
				try (Result result = runner.fetch(out).run()) {
					TFloat32 y = (TFloat32) result.get(0);
					float[] values = new float[(int) y.shape().size()];
					y.copyTo(DataBuffers.of(values, false, false));
					return new Output(y.shape().asArray(), values);
				}
			}
			finally {
				fed.forEach(TFloat32::close);
			}
		}
	}

	/** One layer of a chain: its converter, config and weights. */
	record Step(LayerConverter converter, KerasLayer layer, LayerWeights weights) {
	}

	/**
	 * What a chain of layers computed, and the ops that computed it: their types from the
	 * last back to the input (along each op's first input), and the padding of the first
	 * convolution on that path (null if none).
	 */
	record Chained(Output output, List<String> path, String padding) {
	}

	/** Runs the layers one after the other on one input, as a model's graph does. */
	static Chained chain(Input in, Step... steps) {
		TestSupport.loadNatives();
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(in.shape())));
			Operand<TFloat32> y = x;
			for (Step step : steps) {
				step.converter().validate(step.layer());
				y = step.converter().convert(tf, step.layer(), step.weights(), List.of(y));
			}
			List<String> path = new ArrayList<>();
			String padding = null;
			for (GraphOperation op = (GraphOperation) y.op();; op = (GraphOperation) op.input(0).op()) {
				path.add(op.type());
				if (padding == null && op.type().contains("Conv")) {
					padding = op.attributes().getAttrString("padding");
				}
				if (op.numInputs() == 0) {
					break;
				}
			}
			try (TFloat32 fed = TFloat32.tensorOf(Shape.of(in.shape()), DataBuffers.of(in.values(), true, false));
					Result result = s.runner().feed(x, fed).fetch(tf.identity(y)).run()) {
				TFloat32 out = (TFloat32) result.get(0);
				float[] values = new float[(int) out.shape().size()];
				out.copyTo(DataBuffers.of(values, false, false));
				return new Chained(new Output(out.shape().asArray(), values), path, padding);
			}
		}
	}

}
