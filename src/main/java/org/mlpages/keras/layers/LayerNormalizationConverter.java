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
import org.tensorflow.op.math.Mean;

/**
 * LayerNormalization: {@code (x - mean) / sqrt(var + epsilon) * gamma + beta}, moments
 * per sample over {@code axis} (default the last); gamma and beta have the shape of those
 * axes.
 */
public final class LayerNormalizationConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("LayerNormalization");
	}

	@Override
	public void validate(KerasLayer layer) {
		if (layer.bool("rms_scaling", false)) {
			throw layer.unsupported("rms_scaling (only mean-and-variance normalisation is supported)");
		}
		layer.number("epsilon", 1e-3);
	}

	@Override
	public List<String> keras3Variables(KerasLayer layer) {
		return ShapeOptions.gammaBeta(layer);
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		validate(layer);
		Operand<TFloat32> x = LayerConverter.single(layer, inputs);
		int rank = x.shape().numDimensions();
		int[] axes = ShapeOptions.axes(layer, rank, new int[] { -1 });
		long[] paramShape = new long[rank];
		java.util.Arrays.fill(paramShape, 1);
		for (int a : axes) {
			if (x.shape().size(a) < 0) {
				throw layer.unsupported("normalising an axis of unknown size");
			}
			paramShape[a] = x.shape().size(a);
		}
		// population variance of the centred values, as Keras computes its moments
		Operand<TFloat32> mean = tf.math.mean(x, tf.constant(axes), Mean.keepDims(true));
		Operand<TFloat32> centred = tf.math.sub(x, mean);
		Operand<TFloat32> variance = tf.math.mean(tf.math.square(centred), tf.constant(axes), Mean.keepDims(true));
		float epsilon = (float) layer.number("epsilon", 1e-3);
		Operand<TFloat32> y = tf.math.mul(centred, tf.math.rsqrt(tf.math.add(variance, tf.constant(epsilon))));
		if (layer.bool("scale", true)) {
			y = tf.math.mul(y, broadcast(tf, layer, weights.require("gamma"), paramShape));
		}
		if (layer.bool("center", true)) {
			y = tf.math.add(y, broadcast(tf, layer, weights.require("beta"), paramShape));
		}
		return y;
	}

	private static Operand<TFloat32> broadcast(Ops tf, KerasLayer layer, Weight w, long[] shape) {
		long n = 1;
		for (long d : shape) {
			n *= d;
		}
		if (w.data().length != n) {
			throw layer.malformed(w.name() + " has " + w.data().length + " values, the normalised axes " + n);
		}
		return tf.constant(Shape.of(shape), org.tensorflow.ndarray.buffer.DataBuffers.of(w.data(), true, false));
	}

}
