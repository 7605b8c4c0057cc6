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
 * Add: element-wise sum; pairwise Add ops (unlike AddN) broadcast like Keras' merge
 * layers do.
 */
public final class AddConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("Add");
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		if (inputs.isEmpty()) {
			throw layer.malformed("has no inputs");
		}
		Operand<TFloat32> sum = inputs.get(0);
		for (int i = 1; i < inputs.size(); i++) {
			sum = tf.math.add(sum, inputs.get(i));
		}
		return sum;
	}

}
