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
 * centres and no antialiasing; {@code crop_to_aspect_ratio} first crops the largest
 * centred window of the target's aspect ratio. The other interpolations, padding to the
 * aspect ratio and antialiasing are refused.
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
		if (layer.bool("antialias", false)) {
			throw layer.unsupported("antialias (TensorFlow's antialiased resize is not reproduced exactly here;"
					+ " save the model with antialias=False, Keras's default)");
		}
		if (layer.bool("pad_to_aspect_ratio", false)) {
			throw layer.unsupported("pad_to_aspect_ratio (plain resizing and crop_to_aspect_ratio are supported)");
		}
		ShapeOptions.requirePositiveSize(layer);
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		validate(layer);
		Operand<TFloat32> x = LayerConverter.single(layer, inputs);
		if (x.shape().numDimensions() != 4) {
			throw layer.unsupported("resizing a rank-" + x.shape().numDimensions() + " input (images are NHWC)");
		}
		int height = layer.integer("height", 0);
		int width = layer.integer("width", 0);
		if (layer.bool("crop_to_aspect_ratio", false)) {
			x = cropToAspectRatio(tf, layer, x, height, width);
		}
		return resize(tf, x, height, width, layer.string("interpolation", "bilinear"));
	}

	static Operand<TFloat32> resize(Ops tf, Operand<TFloat32> x, int height, int width, String interpolation) {
		var size = tf.constant(new int[] { height, width });
		if ("nearest".equals(interpolation)) {
			return tf.image.resizeNearestNeighbor(x, size, ResizeNearestNeighbor.halfPixelCenters(true));
		}
		return tf.image.resizeBilinear(x, size, ResizeBilinear.halfPixelCenters(true));
	}

	/**
	 * The largest centred window of the target's aspect ratio, as Keras's
	 * {@code smart_resize} and {@code crop_to_aspect_ratio} compute it (sizes truncated
	 * towards zero, the odd pixel left at the bottom and right).
	 */
	static Operand<TFloat32> cropToAspectRatio(Ops tf, KerasLayer layer, Operand<TFloat32> x, int height, int width) {
		long h = x.shape().size(1);
		long w = x.shape().size(2);
		if (h < 0 || w < 0) {
			throw layer.unsupported("cropping an input of shape " + x.shape() + " (needs a known height and width)");
		}
		long cropH = Math.max(Math.min(h, (long) ((float) (w * height) / width)), 1);
		long cropW = Math.max(Math.min(w, (long) ((float) (h * width) / height)), 1);
		long top = (h - cropH) / 2;
		long left = (w - cropW) / 2;
		return tf.slice(x, tf.constant(new long[] { 0, top, left, 0 }),
				tf.constant(new long[] { -1, cropH, cropW, -1 }));
	}

}
