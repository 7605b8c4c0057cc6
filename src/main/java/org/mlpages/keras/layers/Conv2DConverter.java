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

/** Conv2D: the Keras kernel is already in TF's HWIO filter layout. */
public final class Conv2DConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("Conv2D", "Convolution2D");
	}

	@Override
	public void validate(KerasLayer layer) {
		ConvOptions.of(layer);
		if (layer.integer("groups", 1) != 1) {
			throw layer.unsupported("groups " + layer.integer("groups", 1));
		}
		Activations.of(layer);
	}

	@Override
	public List<String> keras3Variables(KerasLayer layer) {
		return layer.bool("use_bias", true) ? List.of("kernel", "bias") : List.of("kernel");
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		validate(layer);
		ConvOptions opts = ConvOptions.of(layer);
		Weight kernel = weights.require("kernel");
		if (kernel.rank() != 4) {
			throw layer.malformed("kernel is not 4-dimensional: " + kernel);
		}
		Operand<TFloat32> y = opts.convolution(tf, LayerConverter.single(layer, inputs), kernel);
		if (layer.bool("use_bias", true)) {
			y = tf.nn.biasAdd(y, weights.requireVector("bias", kernel.dim(3)).constant(tf));
		}
		return Activations.apply(tf, layer, y);
	}

}
