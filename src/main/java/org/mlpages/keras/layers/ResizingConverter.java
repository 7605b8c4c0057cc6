package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.types.TFloat32;

/**
 * Resizing to a fixed height and width. Keras (2.6+ and 3) calls tf.image.resize, which
 * for 'bilinear' and 'nearest' is ResizeBilinear / ResizeNearestNeighbor with half-pixel
 * centres and no antialiasing; the other interpolations, cropping or padding to the
 * aspect ratio, and antialiasing are refused.
 */
public final class ResizingConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("Resizing");
	}

	@Override
	public void validate(KerasLayer layer) {
		layer.requireChannelsLast();
		String interpolation = layer.string("interpolation", "bilinear");
		if (!"bilinear".equals(interpolation) && !"nearest".equals(interpolation)) {
			throw layer.unsupported("interpolation '" + interpolation + "' (supported: bilinear, nearest)");
		}
		for (String flag : new String[] { "crop_to_aspect_ratio", "pad_to_aspect_ratio", "antialias" }) {
			if (layer.bool(flag, false)) {
				throw layer.unsupported(flag + " (only plain resizing is supported)");
			}
		}
		if (layer.integer("height", 0) <= 0 || layer.integer("width", 0) <= 0) {
			throw layer.malformed("height and width must be positive");
		}
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		validate(layer);
		Operand<TFloat32> x = LayerConverter.single(layer, inputs);
		if (x.shape().numDimensions() != 4) {
			throw layer.unsupported("resizing a rank-" + x.shape().numDimensions() + " input (images are NHWC)");
		}
		var size = tf.constant(new int[] { layer.integer("height", 0), layer.integer("width", 0) });
		if ("nearest".equals(layer.string("interpolation", "bilinear"))) {
			return tf.image.resizeNearestNeighbor(x, size, ResizeNearestNeighbor.halfPixelCenters(true));
		}
		return tf.image.resizeBilinear(x, size, ResizeBilinear.halfPixelCenters(true));
	}

}
