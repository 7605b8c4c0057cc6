package org.mlpages.keras.layers;

import java.util.List;
import org.mlpages.keras.Activations;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.Weight;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.DepthwiseConv2dNative;
import org.tensorflow.types.TFloat32;

/**
 * The spatial options shared by Conv2D, DepthwiseConv2D and SeparableConv2D, in the form
 * the NHWC TF ops take.
 */
record ConvOptions(List<Long> strides, String padding, List<Long> dilations) {

	static ConvOptions of(KerasLayer layer) {
		layer.requireChannelsLast();
		int[] s = layer.ints("strides", 2, 1);
		int[] d = layer.ints("dilation_rate", 2, 1);
		if ((s[0] != 1 || s[1] != 1) && (d[0] != 1 || d[1] != 1)) {
			// Keras itself rejects this combination; seeing it means the config is
			// corrupt
			throw layer.malformed("strides " + s[0] + "x" + s[1] + " together with dilation_rate " + d[0] + "x" + d[1]);
		}
		String padding = layer.string("padding", "valid");
		// TF's SAME puts the odd pixel of padding at the bottom/right, exactly as Keras
		// 'same' does,
		// because Keras calls the same op.
		String tfPadding = switch (padding) {
			case "valid" -> "VALID";
			case "same" -> "SAME";
			default -> throw layer.unsupported("padding '" + padding + "'");
		};
		return new ConvOptions(List.of(1L, (long) s[0], (long) s[1], 1L), tfPadding,
				List.of(1L, (long) d[0], (long) d[1], 1L));
	}

	/**
	 * What a convolution layer's {@code validate} checks: these options and its
	 * activation.
	 */
	static void validate(KerasLayer layer) {
		of(layer);
		Activations.of(layer);
	}

	/**
	 * The depthwise step of DepthwiseConv2D and SeparableConv2D, with these options (a
	 * ZeroPadding2D before it folded in: {@link ConvInput}).
	 */
	Operand<TFloat32> depthwise(Ops tf, Operand<TFloat32> input, Weight kernel) {
		ConvInput in = ConvInput.of(input, this, kernel.dim(0), kernel.dim(1));
		return tf.nn.depthwiseConv2dNative(in.tensor(), kernel.constant(tf), strides, in.padding(),
				DepthwiseConv2dNative.dilations(dilations));
	}

	/** Conv2D's convolution, with these options (a ZeroPadding2D before it folded in). */
	Operand<TFloat32> convolution(Ops tf, Operand<TFloat32> input, Weight kernel) {
		ConvInput in = ConvInput.of(input, this, kernel.dim(0), kernel.dim(1));
		return tf.nn.conv2d(in.tensor(), kernel.constant(tf), strides, in.padding(), Conv2d.dilations(dilations));
	}

	boolean dilated() {
		return dilations.get(1) != 1L || dilations.get(2) != 1L;
	}
}
