package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Permute: {@code dims} are 1-based and leave the batch axis where it is. */
public final class PermuteConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("Permute");
	}

	@Override
	public void validate(KerasLayer layer) {
		perm(layer);
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		Operand<TFloat32> x = LayerConverter.single(layer, inputs);
		long[] perm = perm(layer);
		if (x.shape().numDimensions() != perm.length) {
			throw layer
				.malformed("dims " + java.util.Arrays.toString(perm) + " do not fit an input of shape " + x.shape());
		}
		return tf.linalg.transpose(x, tf.constant(perm));
	}

	private static long[] perm(KerasLayer layer) {
		long[] dims = ShapeOptions.longs(layer, "dims");
		long[] perm = new long[dims.length + 1];
		boolean[] seen = new boolean[perm.length];
		for (int i = 0; i < dims.length; i++) {
			if (dims[i] < 1 || dims[i] > dims.length || seen[(int) dims[i]]) {
				throw layer.malformed(
						"dims is not a permutation of 1.." + dims.length + ": " + java.util.Arrays.toString(dims));
			}
			seen[(int) dims[i]] = true;
			perm[i + 1] = dims[i];
		}
		return perm;
	}

}
