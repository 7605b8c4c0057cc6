package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * MaxPooling2D and AveragePooling2D. Keras calls the same TF ops, so 'same' average
 * pooling also leaves the padded cells out of the count.
 */
public final class Pooling2DConverter implements LayerConverter {

	private static final Set<String> MAX = Set.of("MaxPooling2D", "MaxPool2D");

	private static final Set<String> AVERAGE = Set.of("AveragePooling2D", "AvgPool2D");

	@Override
	public Set<String> kerasClasses() {
		return Set.of("MaxPooling2D", "MaxPool2D", "AveragePooling2D", "AvgPool2D");
	}

	@Override
	public void validate(KerasLayer layer) {
		layer.requireChannelsLast();
		padding(layer);
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		Operand<TFloat32> x = LayerConverter.single(layer, inputs);
		int[] pool = layer.ints("pool_size", 2, 2);
		// strides: None means "same as pool_size"
		int[] strides = layer.has("strides") ? layer.ints("strides", 2, 1) : pool;
		String padding = padding(layer);
		if (MAX.contains(layer.className())) {
			return tf.nn.maxPool(x, tf.constant(new int[] { 1, pool[0], pool[1], 1 }),
					tf.constant(new int[] { 1, strides[0], strides[1], 1 }), padding);
		}
		if (AVERAGE.contains(layer.className())) {
			return tf.nn.avgPool(x, List.of(1L, (long) pool[0], (long) pool[1], 1L),
					List.of(1L, (long) strides[0], (long) strides[1], 1L), padding);
		}
		throw layer.unsupported(null);
	}

	private static String padding(KerasLayer layer) {
		String padding = layer.string("padding", "valid");
		return switch (padding) {
			case "valid" -> "VALID";
			case "same" -> "SAME";
			default -> throw layer.unsupported("padding '" + padding + "'");
		};
	}

}
