package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.mlpages.keras.Weight;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * The Normalization preprocessing layer with its stored (adapted or given) statistics:
 * {@code (x - mean) / max(sqrt(variance), 1e-7)}, or with {@code invert} the reverse,
 * {@code mean + x * max(sqrt(variance), 1e-7)}; the same formula in tf.keras 2.x and
 * Keras 3 (1e-7 is Keras' backend epsilon). Statistics are per element of the kept
 * {@code axis} (default the last), broadcast over the others.
 */
public final class NormalizationConverter implements LayerConverter {

	private static final double EPSILON = 1e-7;

	@Override
	public Set<String> kerasClasses() {
		return Set.of("Normalization");
	}

	/**
	 * An adapted layer stores its statistics (and a sample count nothing reads); one
	 * given its mean and variance in the config stores nothing.
	 */
	@Override
	public List<String> keras3Variables(KerasLayer layer) {
		return layer.has("mean") ? List.of() : List.of("mean", "variance", "count");
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		Operand<TFloat32> x = LayerConverter.single(layer, inputs);
		int rank = x.shape().numDimensions();
		// axis None means one statistic for the whole tensor
		boolean scalar = layer.config().has("axis") && layer.config().get("axis").isNull();
		int[] keep = scalar ? new int[0] : ShapeOptions.axes(layer, rank, new int[] { -1 });
		long[] shape = new long[rank];
		java.util.Arrays.fill(shape, 1);
		long n = 1;
		for (int a : keep) {
			if (x.shape().size(a) < 0) {
				throw layer.unsupported("statistics over an axis of unknown size");
			}
			shape[a] = x.shape().size(a);
			n *= shape[a];
		}
		float[] mean = values(layer, weights, "mean", n);
		float[] variance = values(layer, weights, "variance", n);
		float[] std = new float[variance.length];
		for (int i = 0; i < std.length; i++) {
			std[i] = (float) Math.max(Math.sqrt(variance[i]), EPSILON);
		}
		Operand<TFloat32> m = tf.constant(Shape.of(shape), DataBuffers.of(mean, true, false));
		Operand<TFloat32> s = tf.constant(Shape.of(shape), DataBuffers.of(std, true, false));
		if (layer.bool("invert", false)) {
			return tf.math.add(m, tf.math.mul(x, s));
		}
		return tf.math.div(tf.math.sub(x, m), s);
	}

	/**
	 * The adapted weight if stored, else the constructor argument of the same name from
	 * the config.
	 */
	private static float[] values(KerasLayer layer, LayerWeights weights, String name, long n) {
		float[] v;
		Weight w = weights.optional(name).orElse(null);
		if (w != null) {
			v = w.data();
		}
		else if (layer.has(name)) {
			v = ShapeOptions.floats(layer, name, 0);
		}
		else {
			throw layer.unsupported("no stored " + name + " (a Normalization layer that was never adapted)");
		}
		if (v.length == n) {
			return v;
		}
		if (v.length == 1) {
			float[] out = new float[(int) n];
			java.util.Arrays.fill(out, v[0]);
			return out;
		}
		throw layer.malformed(name + " has " + v.length + " values, expected " + n);
	}

}
