package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' ReLU layer:
 * {@code x > threshold ? min(x, max_value) : negative_slope * (x - threshold)}. The
 * common cases get the fused TF ops (MobileNet's {@code max_value=6} is Relu6).
 */
public final class ReLUConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("ReLU");
	}

	@Override
	public void validate(KerasLayer layer) {
		Double max = layer.nullableNumber("max_value");
		if (max != null && max < 0) {
			throw layer.malformed("max_value " + max + " is negative");
		}
		if (layer.number("negative_slope", 0) < 0) {
			throw layer.malformed("negative_slope is negative");
		}
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		validate(layer);
		Operand<TFloat32> x = LayerConverter.single(layer, inputs);
		Double max = layer.nullableNumber("max_value");
		float slope = (float) layer.number("negative_slope", 0);
		float threshold = (float) layer.number("threshold", 0);

		if (slope == 0f && threshold == 0f) {
			if (max == null) {
				return tf.nn.relu(x);
			}
			if (max == 6.0) {
				return tf.nn.relu6(x);
			}
			return tf.math.minimum(tf.nn.relu(x), tf.constant(max.floatValue()));
		}
		Operand<TFloat32> t = tf.constant(threshold);
		Operand<TFloat32> above = max == null ? x : tf.math.minimum(x, tf.constant(max.floatValue()));
		Operand<TFloat32> below = slope == 0f ? tf.zerosLike(x) : tf.math.mul(tf.constant(slope), tf.math.sub(x, t));
		// "greater", not "greater or equal": at x == threshold Keras yields 0 either way
		return tf.select(tf.math.greater(x, t), above, below);
	}

}
