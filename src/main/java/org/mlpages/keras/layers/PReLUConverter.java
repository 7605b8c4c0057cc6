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
 * PReLU: {@code max(x, 0) + alpha * min(x, 0)} with a learnt {@code alpha} of the input's
 * shape without the batch axis, size 1 along {@code shared_axes}; TF broadcasting does
 * the sharing.
 */
public final class PReLUConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("PReLU");
	}

	@Override
	public List<String> keras3Variables(KerasLayer layer) {
		return List.of("alpha");
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		Operand<TFloat32> x = LayerConverter.single(layer, inputs);
		Operand<TFloat32> alpha = weights.require("alpha").constant(tf);
		return tf.math.add(tf.nn.relu(x), tf.math.mul(alpha, tf.math.minimum(x, tf.constant(0f))));
	}

}
