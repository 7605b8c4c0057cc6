package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Rescaling: {@code x * scale + offset}. Scale and offset are numbers, or (Keras 3) lists
 * with one value per channel, broadcast over the last axis.
 */
public final class RescalingConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("Rescaling");
	}

	@Override
	public void validate(KerasLayer layer) {
		ShapeOptions.floats(layer, "scale", 1);
		ShapeOptions.floats(layer, "offset", 0);
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		Operand<TFloat32> x = LayerConverter.single(layer, inputs);
		return tf.math.add(tf.math.mul(x, constant(tf, ShapeOptions.floats(layer, "scale", 1))),
				constant(tf, ShapeOptions.floats(layer, "offset", 0)));
	}

	private static Operand<TFloat32> constant(Ops tf, float[] v) {
		return v.length == 1 ? tf.constant(v[0]) : tf.constant(Shape.of(v.length), DataBuffers.of(v, true, false));
	}

}
