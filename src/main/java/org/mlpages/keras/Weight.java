package org.mlpages.keras;

import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** One weight array of a layer, row-major as Keras stores it. */
public record Weight(String name, long[] shape, float[] data) {

	public Weight {
		long n = 1;
		for (long d : shape) {
			n *= d;
		}
		if (n != data.length) {
			throw new KerasImportException(
					"Weight " + name + " has shape " + Arrays.toString(shape) + " but " + data.length + " values");
		}
		shape = shape.clone();
	}

	@Override
	public long[] shape() {
		return shape.clone();
	}

	public int rank() {
		return shape.length;
	}

	public long dim(int i) {
		return shape[i];
	}

	public Operand<TFloat32> constant(Ops tf) {
		return tf.constant(Shape.of(shape), DataBuffers.of(data, true, false));
	}

	@Override
	public String toString() {
		return "Weight[" + name + " " + Arrays.toString(shape) + "]";
	}
}
