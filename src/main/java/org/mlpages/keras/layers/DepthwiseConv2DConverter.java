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

/**
 * DepthwiseConv2D: the Keras depthwise kernel {@code [kh, kw, in, multiplier]} is TF's
 * filter layout; output channel {@code c * multiplier + m} comes from input channel
 * {@code c}.
 */
public final class DepthwiseConv2DConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("DepthwiseConv2D");
	}

	@Override
	public void validate(KerasLayer layer) {
		ConvOptions.validate(layer);
	}

	@Override
	public List<String> keras3Variables(KerasLayer layer) {
		// Keras 3 calls it kernel; legacy files, which this converter reads by name,
		// depthwise_kernel
		return layer.bool("use_bias", true) ? List.of("depthwise_kernel", "bias") : List.of("depthwise_kernel");
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		ConvOptions opts = ConvOptions.of(layer);
		Weight kernel = weights.require("depthwise_kernel");
		if (kernel.rank() != 4) {
			throw layer.malformed("depthwise_kernel is not 4-dimensional: " + kernel);
		}
		int multiplier = layer.integer("depth_multiplier", 1);
		if (kernel.dim(3) != multiplier) {
			throw layer.malformed("depth_multiplier " + multiplier + " but kernel " + kernel);
		}
		Operand<TFloat32> y = opts.depthwise(tf, LayerConverter.single(layer, inputs), kernel);
		if (layer.bool("use_bias", true)) {
			y = tf.nn.biasAdd(y, weights.requireVector("bias", kernel.dim(2) * kernel.dim(3)).constant(tf));
		}
		return Activations.apply(tf, layer, y);
	}

}
