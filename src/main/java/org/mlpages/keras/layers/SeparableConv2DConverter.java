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
 * SeparableConv2D: a depthwise convolution (with the layer's strides, padding and
 * dilation) followed by a 1x1 pointwise convolution, then bias and activation, which is
 * what tf.nn.separable_conv2d does.
 */
public final class SeparableConv2DConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("SeparableConv2D", "SeparableConvolution2D");
	}

	@Override
	public void validate(KerasLayer layer) {
		ConvOptions.validate(layer);
	}

	@Override
	public List<String> keras3Variables(KerasLayer layer) {
		return layer.bool("use_bias", true) ? List.of("depthwise_kernel", "pointwise_kernel", "bias")
				: List.of("depthwise_kernel", "pointwise_kernel");
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		ConvOptions opts = ConvOptions.of(layer);
		Weight depthwise = weights.require("depthwise_kernel");
		Weight pointwise = weights.require("pointwise_kernel");
		if (depthwise.rank() != 4 || pointwise.rank() != 4 || pointwise.dim(2) != depthwise.dim(2) * depthwise.dim(3)) {
			throw layer.malformed("kernels do not fit: " + depthwise + ", " + pointwise);
		}
		Operand<TFloat32> y = opts.depthwise(tf, LayerConverter.single(layer, inputs), depthwise);
		y = tf.nn.conv2d(y, pointwise.constant(tf), List.of(1L, 1L, 1L, 1L), "VALID");
		if (layer.bool("use_bias", true)) {
			y = tf.nn.biasAdd(y, weights.requireVector("bias", pointwise.dim(3)).constant(tf));
		}
		return Activations.apply(tf, layer, y);
	}

}
