package org.mlpages.keras.layers;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.DepthwiseConv2dNative;
import org.tensorflow.types.TFloat32;

/**
 * A batch normalisation right after a convolution, as MobileNets and ResNets write every
 * convolution (no bias, then BatchNormalization), made part of that convolution: its
 * scale multiplies the kernel's output channels, its offset becomes the bias. One
 * convolution and one bias add, which TensorFlow fuses with the activation after them,
 * instead of a convolution, a multiply and an add, each a pass over the whole tensor.
 */
final class NormalizedConvolution {

	private NormalizedConvolution() {
	}

	/**
	 * {@code x * scale + offset} per channel as one convolution, or null when {@code x}
	 * is not the output of a convolution (and its bias) that nothing else reads, with its
	 * kernel a constant.
	 */
	static Operand<TFloat32> of(Ops tf, Operand<TFloat32> x, float[] scale, float[] offset) {
		if (!(x.op() instanceof GraphOperation last) || last.numConsumers() > 0) {
			return null;
		}
		float[] bias = null;
		GraphOperation conv = last;
		if ("BiasAdd".equals(last.type())) {
			bias = GraphConstants.floats(last.input(1));
			if (bias == null || !(last.input(0).op() instanceof GraphOperation before) || before.numConsumers() != 1) {
				return null;
			}
			conv = before;
		}
		boolean depthwise = "DepthwiseConv2dNative".equals(conv.type());
		if (!depthwise && !"Conv2D".equals(conv.type())) {
			return null;
		}
		float[] kernel = GraphConstants.floats(conv.input(1));
		Shape kernelShape = conv.input(1).shape();
		if (kernel == null || kernelShape.numDimensions() != 4
				|| "EXPLICIT".equals(conv.attributes().getAttrString("padding"))
				|| !"NHWC".equals(conv.attributes().getAttrString("data_format"))) {
			return null;
		}
		int channels = (int) (depthwise ? kernelShape.get(2) * kernelShape.get(3) : kernelShape.get(3));
		if (channels != scale.length || (bias != null && bias.length != channels)) {
			return null;
		}
		// the output channel is the kernel's last axis (a depthwise kernel's last two:
		// channel c's m-th filter is output c * multiplier + m), the fastest-varying one
		for (int i = 0; i < kernel.length; i++) {
			kernel[i] *= scale[i % channels];
		}
		float[] newBias = new float[channels];
		for (int c = 0; c < channels; c++) {
			newBias[c] = (bias == null ? 0f : bias[c] * scale[c]) + offset[c];
		}
		@SuppressWarnings("unchecked")
		Operand<TFloat32> input = (Operand<TFloat32>) conv.input(0);
		Operand<TFloat32> filter = tf.constant(kernelShape, DataBuffers.of(kernel, true, false));
		List<Long> strides = longs(conv.attributes().getAttrIntList("strides"));
		List<Long> dilations = longs(conv.attributes().getAttrIntList("dilations"));
		String padding = conv.attributes().getAttrString("padding");
		Operand<TFloat32> y = depthwise
				? tf.nn.depthwiseConv2dNative(input, filter, strides, padding,
						DepthwiseConv2dNative.dilations(dilations))
				: tf.nn.conv2d(input, filter, strides, padding, Conv2d.dilations(dilations));
		return tf.nn.biasAdd(y, tf.constant(Shape.of(channels), DataBuffers.of(newBias, true, false)));
	}

	private static List<Long> longs(long[] values) {
		return Arrays.stream(values).boxed().toList();
	}

}
