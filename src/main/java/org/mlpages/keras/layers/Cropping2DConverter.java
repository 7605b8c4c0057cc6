package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Cropping2D: removes rows and columns from the borders of an NHWC tensor. */
public final class Cropping2DConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("Cropping2D");
	}

	@Override
	public void validate(KerasLayer layer) {
		layer.requireChannelsLast();
		// same accepted forms as ZeroPadding2D: n, (h, w), ((top, bottom), (left, right))
		ZeroPadding2DConverter.pairs(layer, "cropping", 0);
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		Operand<TFloat32> x = LayerConverter.single(layer, inputs);
		int[][] c = ZeroPadding2DConverter.pairs(layer, "cropping", 0);
		long h = x.shape().size(1);
		long w = x.shape().size(2);
		if (x.shape().numDimensions() != 4 || h < 0 || w < 0) {
			throw layer.unsupported("cropping an input of shape " + x.shape() + " (needs a known height and width)");
		}
		long outH = h - c[0][0] - c[0][1];
		long outW = w - c[1][0] - c[1][1];
		if (outH <= 0 || outW <= 0) {
			throw layer.malformed("cropping " + java.util.Arrays.deepToString(c) + " leaves nothing of " + x.shape());
		}
		return tf.slice(x, tf.constant(new long[] { 0, c[0][0], c[1][0], 0 }),
				tf.constant(new long[] { -1, outH, outW, -1 }));
	}

}
