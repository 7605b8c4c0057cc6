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
 * Multiply, Maximum, Minimum, Average and Subtract: element-wise merges (Add has its own
 * class). Subtract takes exactly two inputs, first minus second.
 */
public final class MergeConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("Multiply", "Maximum", "Minimum", "Average", "Subtract");
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		if (inputs.isEmpty()) {
			throw layer.malformed("has no inputs");
		}
		if ("Subtract".equals(layer.className())) {
			if (inputs.size() != 2) {
				throw layer.malformed("Subtract takes two inputs, got " + inputs.size());
			}
			return tf.math.sub(inputs.get(0), inputs.get(1));
		}
		Operand<TFloat32> acc = inputs.get(0);
		for (int i = 1; i < inputs.size(); i++) {
			Operand<TFloat32> x = inputs.get(i);
			acc = switch (layer.className()) {
				case "Multiply" -> tf.math.mul(acc, x);
				case "Maximum" -> tf.math.maximum(acc, x);
				case "Minimum" -> tf.math.minimum(acc, x);
				case "Average" -> tf.math.add(acc, x);
				default -> throw layer.unsupported(null);
			};
		}
		if ("Average".equals(layer.className())) {
			acc = tf.math.div(acc, tf.constant((float) inputs.size()));
		}
		return acc;
	}

}
