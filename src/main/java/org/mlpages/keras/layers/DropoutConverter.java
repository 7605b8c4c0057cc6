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
 * Layers that Keras turns into the identity at inference time: dropout and noise (only
 * active in training) and the random augmentation layers (which return their input unless
 * {@code training=True}). RandomCrop is deliberately absent: at inference it centre-crops
 * (Keras 2) or resizes, so it is no identity.
 */
public final class DropoutConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianDropout",
				"GaussianNoise", "AlphaDropout", "ActivityRegularization", "RandomFlip", "RandomRotation", "RandomZoom",
				"RandomTranslation", "RandomContrast", "RandomBrightness", "RandomHeight", "RandomWidth");
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		return LayerConverter.single(layer, inputs);
	}

}
