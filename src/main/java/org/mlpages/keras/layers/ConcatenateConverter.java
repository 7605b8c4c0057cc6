package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

public final class ConcatenateConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("Concatenate");
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		if (inputs.isEmpty()) {
			throw layer.malformed("has no inputs");
		}
		return tf.concat(inputs, tf.constant(layer.integer("axis", -1)));
	}

}
