package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.Activations;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.mlpages.keras.Weight;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Dense: {@code activation(x . kernel + bias)} over the last axis. Inputs of rank above 2
 * are flattened to 2-D around the matmul, as Keras' tensordot does.
 */
public final class DenseConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("Dense");
	}

	@Override
	public void validate(KerasLayer layer) {
		Activations.of(layer);
	}

	@Override
	public List<String> keras3Variables(KerasLayer layer) {
		return layer.bool("use_bias", true) ? List.of("kernel", "bias") : List.of("kernel");
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		Operand<TFloat32> x = LayerConverter.single(layer, inputs);
		Weight kernel = weights.require("kernel");
		if (kernel.rank() != 2) {
			throw layer.malformed("kernel is not 2-dimensional: " + kernel);
		}
		int rank = x.shape().numDimensions();
		Operand<TFloat32> y;
		if (rank == 2) {
			y = tf.linalg.matMul(x, kernel.constant(tf));
		}
		else {
			// [..., in] -> [-1, in] -> matmul -> [..., units]
			Operand<TInt32> leading = tf.slice(tf.shape(x), tf.constant(new int[] { 0 }),
					tf.constant(new int[] { rank - 1 }));
			Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] { -1, (int) kernel.dim(0) }));
			Operand<TFloat32> prod = tf.linalg.matMul(flat, kernel.constant(tf));
			Operand<TInt32> outShape = tf.concat(List.of(leading, tf.constant(new int[] { (int) kernel.dim(1) })),
					tf.constant(0));
			y = tf.reshape(prod, outShape);
		}
		if (layer.bool("use_bias", true)) {
			y = tf.nn.biasAdd(y, weights.requireVector("bias", kernel.dim(1)).constant(tf));
		}
		return Activations.apply(tf, layer, y);
	}

}
