package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Reshape: {@code target_shape} excludes the batch axis and may hold one -1; row-major
 * like Keras.
 */
public final class ReshapeConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("Reshape");
	}

	@Override
	public void validate(KerasLayer layer) {
		long[] target = ShapeOptions.longs(layer, "target_shape");
		int unknown = 0;
		for (long d : target) {
			if (d == -1) {
				unknown++;
			}
			else if (d <= 0) {
				throw layer.malformed("target_shape has size " + d);
			}
		}
		if (unknown > 1) {
			throw layer.malformed("target_shape has more than one -1");
		}
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		Operand<TFloat32> x = LayerConverter.single(layer, inputs);
		long[] target = ShapeOptions.longs(layer, "target_shape");
		// the batch size is taken from the tensor, so target_shape may keep its own -1
		Operand<TInt64> batch = tf.slice(tf.shape(x, TInt64.class), tf.constant(new long[] { 0 }),
				tf.constant(new long[] { 1 }));
		Operand<TInt64> shape = tf.concat(List.of(batch, tf.constant(target)), tf.constant(0));
		return tf.reshape(x, shape);
	}

}
