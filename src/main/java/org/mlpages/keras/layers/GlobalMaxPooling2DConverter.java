package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.types.TFloat32;

public final class GlobalMaxPooling2DConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("GlobalMaxPooling2D", "GlobalMaxPool2D");
	}

	@Override
	public void validate(KerasLayer layer) {
		layer.requireChannelsLast();
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		return tf.max(LayerConverter.single(layer, inputs), tf.constant(new int[] { 1, 2 }),
				Max.keepDims(layer.bool("keepdims", false)));
	}

}
