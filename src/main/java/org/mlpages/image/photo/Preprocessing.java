package org.mlpages.image.photo;

/**
 * How to turn a photo into a model input: resize to {@code width} x {@code height} by
 * {@code mode}, then map each channel value v (0..255) to {@code v * scale + offset}.
 *
 * @param mode how the photo is fitted to the target size
 * @param width target width in pixels
 * @param height target height in pixels
 * @param scale multiplier, e.g. 1/127.5 for inputs in -1..1, 1/255 for 0..1, 1 for raw
 * values
 * @param offset added after scaling, e.g. -1 for inputs in -1..1
 */
public record Preprocessing(ResizeMode mode, int width, int height, float scale, float offset) {

	/** MobileNet-style inputs: 224x224, values in -1..1. */
	public static Preprocessing minusOneToOne(ResizeMode mode, int width, int height) {
		return new Preprocessing(mode, width, height, 1f / 127.5f, -1f);
	}

	public Preprocessing {
		if (mode == null) {
			throw new IllegalArgumentException("mode is required");
		}
		if (width <= 0 || height <= 0) {
			throw new IllegalArgumentException("target size must be positive: " + width + "x" + height);
		}
		if ((long) width * height * 3 > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("target size too large: " + width + "x" + height);
		}
		if (!Float.isFinite(scale) || !Float.isFinite(offset)) {
			throw new IllegalArgumentException("scale and offset must be finite");
		}
	}

	/** Number of floats one image occupies in an NHWC tensor: height * width * 3. */
	public int tensorSize() {
		return width * height * 3;
	}
}
