package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

public final class GlobalAveragePooling2DConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("GlobalAveragePooling2D", "GlobalAvgPool2D");
	}

	@Override
	public void validate(KerasLayer layer) {
		layer.requireChannelsLast();
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		// keepdims appeared in TF 2.6; older files lack it and meant false
		boolean keepDims = layer.bool("keepdims", false);
		return tf.math.mean(LayerConverter.single(layer, inputs), tf.constant(new int[] { 1, 2 }),
				Mean.keepDims(keepDims));
	}

}
