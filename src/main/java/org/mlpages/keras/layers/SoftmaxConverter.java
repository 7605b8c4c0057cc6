package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The Softmax layer, over the last axis as TF's op computes it. */
public final class SoftmaxConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("Softmax");
	}

	@Override
	public void validate(KerasLayer layer) {
		int axis = layer.integer("axis", -1);
		if (axis != -1) {
			throw layer.unsupported("softmax over axis " + axis + " (only the last axis is supported)");
		}
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		validate(layer);
		return tf.nn.softmax(LayerConverter.single(layer, inputs));
	}

}
