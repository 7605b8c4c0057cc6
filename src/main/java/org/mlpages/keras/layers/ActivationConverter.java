package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.Activations;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

public final class ActivationConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("Activation");
	}

	@Override
	public void validate(KerasLayer layer) {
		Activations.of(layer);
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		return Activations.apply(tf, layer, LayerConverter.single(layer, inputs));
	}

}
