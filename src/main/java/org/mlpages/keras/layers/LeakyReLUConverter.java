package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.op.nn.LeakyRelu;

public final class LeakyReLUConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("LeakyReLU");
	}

	@Override
	public void validate(KerasLayer layer) {
		alpha(layer);
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		return tf.nn.leakyRelu(LayerConverter.single(layer, inputs), LeakyRelu.alpha(alpha(layer)));
	}

	/** Keras 2 calls it {@code alpha} (default 0.3), Keras 3 {@code negative_slope}. */
	static float alpha(KerasLayer layer) {
		return (float) (layer.has("negative_slope") ? layer.number("negative_slope", 0.3) : layer.number("alpha", 0.3));
	}

}
