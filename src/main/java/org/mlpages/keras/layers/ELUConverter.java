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
 * The ELU layer ({@code x > 0 ? x : alpha (e^x - 1)}, alpha 1 by default) and
 * ThresholdedReLU ({@code x > theta ? x : 0}, theta 1 by default; Keras 2 only).
 */
public final class ELUConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("ELU", "ThresholdedReLU");
	}

	@Override
	public void validate(KerasLayer layer) {
		layer.number("alpha", 1);
		layer.number("theta", 1);
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		Operand<TFloat32> x = LayerConverter.single(layer, inputs);
		if ("ThresholdedReLU".equals(layer.className())) {
			Operand<TFloat32> theta = tf.constant((float) layer.number("theta", 1));
			return tf.select(tf.math.greater(x, theta), x, tf.zerosLike(x));
		}
		float alpha = (float) layer.number("alpha", 1);
		Operand<TFloat32> negative = tf.math.mul(tf.constant(alpha),
				tf.math.sub(tf.math.exp(tf.math.minimum(x, tf.constant(0f))), tf.constant(1f)));
		return tf.select(tf.math.greater(x, tf.constant(0f)), x, negative);
	}

}
