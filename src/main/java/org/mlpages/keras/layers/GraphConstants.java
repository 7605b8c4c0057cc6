package org.mlpages.keras.layers;

import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * The values of a constant the converters put in the graph, read back where a later layer
 * rewrites an earlier one's step (a padding folded into a convolution, a normalisation
 * into its kernel).
 */
final class GraphConstants {

	private GraphConstants() {
	}

	/** The shape of a float32 constant, or null when the operand is not one. */
	static Shape floatShape(Operand<?> operand) {
		GraphOperation op = constant(operand);
		if (op == null) {
			return null;
		}
		try (Tensor t = op.attributes().getAttrTensor("value")) {
			return t.dataType() == DataType.DT_FLOAT ? t.shape() : null;
		}
	}

	/** A float32 constant's values, row-major, or null when the operand is not one. */
	static float[] floats(Operand<?> operand) {
		GraphOperation op = constant(operand);
		if (op == null) {
			return null;
		}
		try (Tensor t = op.attributes().getAttrTensor("value")) {
			if (t.dataType() != DataType.DT_FLOAT) {
				return null;
			}
			float[] values = new float[(int) t.shape().size()];
			t.asRawTensor().data().asFloats().read(values);
			return values;
		}
	}

	/** An int32 constant's values, row-major, or null when the operand is not one. */
	static int[] ints(Operand<?> operand) {
		GraphOperation op = constant(operand);
		if (op == null) {
			return null;
		}
		try (Tensor t = op.attributes().getAttrTensor("value")) {
			if (t.dataType() != DataType.DT_INT32) {
				return null;
			}
			int[] values = new int[(int) t.shape().size()];
			t.asRawTensor().data().asInts().read(values);
			return values;
		}
	}

	private static GraphOperation constant(Operand<?> operand) {
		return operand.op() instanceof GraphOperation op && "Const".equals(op.type()) ? op : null;
	}

}
