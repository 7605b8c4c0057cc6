package org.mlpages.keras.layers;

import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * What a convolution reads, and with which padding: its input as given, or, when that
 * input is a ZeroPadding2D's zeros put exactly where TF's SAME would put them for this
 * convolution, the tensor before the padding, convolved SAME.
 * <p>
 * Keras's MobileNets pad by hand before each stride-2 convolution and then convolve
 * 'valid' ({@code correct_pad}, so that every backend computes the same thing), which is
 * SAME's own arithmetic. Folded, the padded copy of the input, a batch's largest tensor
 * at that resolution, is never made, and the data is read once less.
 */
record ConvInput(Operand<TFloat32> tensor, String padding) {

	static ConvInput of(Operand<TFloat32> input, ConvOptions opts, long kernelHeight, long kernelWidth) {
		ConvInput asGiven = new ConvInput(input, opts.padding());
		if (!"VALID".equals(opts.padding()) || !(input.op() instanceof GraphOperation pad) || !isZeroPad(pad)) {
			return asGiven;
		}
		int[][] paddings = paddings(pad.input(1));
		if (pad.input(0).asOutput().type() != TFloat32.class || paddings == null) {
			return asGiven;
		}
		@SuppressWarnings("unchecked")
		Operand<TFloat32> unpadded = (Operand<TFloat32>) pad.input(0);
		Shape shape = unpadded.shape();
		if (shape.numDimensions() != 4 || !untouched(paddings[0]) || !untouched(paddings[3])) {
			return asGiven;
		}
		long[] kernel = { kernelHeight, kernelWidth };
		for (int axis = 1; axis <= 2; axis++) {
			long size = shape.get(axis);
			if (size < 0) {
				return asGiven;
			}
			long[] same = samePadding(size, kernel[axis - 1], opts.strides().get(axis), opts.dilations().get(axis));
			if (paddings[axis][0] != same[0] || paddings[axis][1] != same[1]) {
				return asGiven;
			}
		}
		return new ConvInput(unpadded, "SAME");
	}

	/**
	 * TF's SAME padding along one axis: as many outputs as strides fit, the odd pixel
	 * after.
	 * @return {before, after}
	 */
	static long[] samePadding(long size, long kernel, long stride, long dilation) {
		long span = (kernel - 1) * dilation + 1;
		long outputs = (size + stride - 1) / stride;
		long total = Math.max((outputs - 1) * stride + span - size, 0);
		return new long[] { total / 2, total - total / 2 };
	}

	private static boolean isZeroPad(GraphOperation op) {
		if ("Pad".equals(op.type())) {
			return true;
		}
		if (!"PadV2".equals(op.type())) {
			return false;
		}
		float[] value = GraphConstants.floats(op.input(2));
		return value != null && value.length == 1 && value[0] == 0f;
	}

	/**
	 * The paddings, {before, after} per axis, or null when they are not a 4x2 constant.
	 */
	private static int[][] paddings(Operand<?> operand) {
		int[] values = GraphConstants.ints(operand);
		if (values == null || values.length != 8) {
			return null;
		}
		int[][] out = new int[4][];
		for (int axis = 0; axis < 4; axis++) {
			out[axis] = new int[] { values[2 * axis], values[2 * axis + 1] };
		}
		return out;
	}

	private static boolean untouched(int[] axis) {
		return axis[0] == 0 && axis[1] == 0;
	}

}
