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
 * An InputLayer only names the tensor it is given; the model builder makes the
 * placeholder.
 */
public final class InputLayerConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("InputLayer");
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		return LayerConverter.single(layer, inputs);
	}

}
