package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Flatten: NHWC tensors flatten in the same (row-major, channels last) order in TF as in
 * Keras, so a following Dense kernel needs no reordering.
 */
public final class FlattenConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("Flatten");
	}

	@Override
	public void validate(KerasLayer layer) {
		layer.requireChannelsLast();
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		Operand<TFloat32> x = LayerConverter.single(layer, inputs);
		Shape shape = x.shape();
		if (shape.isUnknown()) {
			throw layer.malformed("input rank is unknown");
		}
		long features = 1;
		for (int i = 1; i < shape.numDimensions(); i++) {
			if (shape.size(i) < 0) {
				throw layer.unsupported("flattening a dimension of unknown size");
			}
			features *= shape.size(i);
		}
		return tf.reshape(x, tf.constant(new long[] { -1, features }));
	}

}
