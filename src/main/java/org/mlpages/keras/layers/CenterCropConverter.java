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
 * CenterCrop: the centred {@code height x width} window (the odd pixel left at the bottom
 * and right); an input smaller than that in either direction is instead cropped to the
 * target's aspect ratio and resized to it bilinearly, as Keras's {@code smart_resize}
 * does.
 */
public final class CenterCropConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("CenterCrop");
	}

	@Override
	public void validate(KerasLayer layer) {
		layer.requireChannelsLast();
		ShapeOptions.requirePositiveSize(layer);
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		validate(layer);
		Operand<TFloat32> x = LayerConverter.single(layer, inputs);
		long h = x.shape().numDimensions() == 4 ? x.shape().size(1) : -1;
		long w = x.shape().numDimensions() == 4 ? x.shape().size(2) : -1;
		if (h < 0 || w < 0) {
			throw layer.unsupported(
					"cropping an input of shape " + x.shape() + " (needs NHWC with a known height and" + " width)");
		}
		int height = layer.integer("height", 0);
		int width = layer.integer("width", 0);
		if (h >= height && w >= width) {
			return tf.slice(x, tf.constant(new long[] { 0, (h - height) / 2, (w - width) / 2, 0 }),
					tf.constant(new long[] { -1, height, width, -1 }));
		}
		Operand<TFloat32> window = ResizingConverter.cropToAspectRatio(tf, layer, x, height, width);
		return ResizingConverter.resize(tf, window, height, width, "bilinear");
	}

}
