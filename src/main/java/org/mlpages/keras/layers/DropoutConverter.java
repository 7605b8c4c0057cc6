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
 * and resizes in Keras 2 and 3.0-3.7 but returns its input unchanged from 3.8, so what it
 * computes depends on the version that will load the file. AutoContrast applies at
 * inference too, and is not supported.
 */
public final class DropoutConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianDropout",
				"GaussianNoise", "AlphaDropout", "ActivityRegularization", "RandomFlip", "RandomRotation", "RandomZoom",
				"RandomTranslation", "RandomContrast", "RandomBrightness", "RandomHeight", "RandomWidth",
				// Keras 3.6 to 3.10's image augmentation layers, each gated on training
				"RandomGrayscale", "RandomHue", "RandomSaturation", "RandomSharpness", "RandomShear",
				"RandomColorJitter", "RandomColorDegeneration", "RandomPosterization", "RandomErasing",
				"RandomGaussianBlur", "RandomPerspective", "RandomInvert", "RandomElasticTransform", "Solarization",
				"Equalization", "MixUp", "CutMix", "RandAugment", "AugMix");
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		return LayerConverter.single(layer, inputs);
	}

}
