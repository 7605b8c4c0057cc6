package org.mlpages.keras.layers;

import java.util.function.Function;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.proto.DataType;

/**
 * The values of a constant the converters put in the graph, read back where a later layer
 * rewrites an earlier one's step (a padding folded into a convolution, a normalisation
 * into its kernel).
 */
final class GraphConstants {

	private GraphConstants() {
	}

	/** A float32 constant's values, row-major, or null when the operand is not one. */
	static float[] floats(Operand<?> operand) {
		return value(operand, DataType.DT_FLOAT, t -> {
			float[] values = new float[(int) t.shape().size()];
			t.asRawTensor().data().asFloats().read(values);
			return values;
		});
	}

	/** An int32 constant's values, row-major, or null when the operand is not one. */
	static int[] ints(Operand<?> operand) {
		return value(operand, DataType.DT_INT32, t -> {
			int[] values = new int[(int) t.shape().size()];
			t.asRawTensor().data().asInts().read(values);
			return values;
		});
	}

	private static <T> T value(Operand<?> operand, DataType type, Function<Tensor, T> read) {
		if (!(operand.op() instanceof GraphOperation op) || !"Const".equals(op.type())) {
			return null;
		}
		try (Tensor t = op.attributes().getAttrTensor("value")) {
			return t.dataType() == type ? read.apply(t) : null;
		}
	}

}
