package org.mlpages.image.photo;

/**
 * How to turn a photo into a model input: resize to {@code width} x {@code height} by
 * {@code mode}, order or merge the channels by {@code color}, then map each channel value
 * v (0..255) to {@code (v * scale + offset - mean[c]) / std[c]}.
 *
 * @param mode how the photo is fitted to the target size
 * @param width target width in pixels
 * @param height target height in pixels
 * @param scale multiplier, e.g. 1/127.5 for inputs in -1..1, 1/255 for 0..1, 1 for raw
 * values
 * @param offset added after scaling, e.g. -1 for inputs in -1..1
 * @param color the channels the model takes, in its order
 * @param mean subtracted per channel (in the model's channel order) after scaling: one
 * value, or one per channel; empty for none
 * @param std divides per channel after the mean; one value, or one per channel; empty for
 * none
 */
public record Preprocessing(ResizeMode mode, int width, int height, float scale, float offset, ColorOrder color,
		float[] mean, float[] std) {

	/** RGB with no per-channel normalisation. */
	public Preprocessing(ResizeMode mode, int width, int height, float scale, float offset) {
		this(mode, width, height, scale, offset, ColorOrder.RGB, new float[0], new float[0]);
	}

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
		if (color == null) {
			throw new IllegalArgumentException("color is required");
		}
		mean = perChannel(mean, color, "mean", false);
		std = perChannel(std, color, "std", true);
	}

	private static float[] perChannel(float[] values, ColorOrder color, String name, boolean divisor) {
		if (values == null || values.length == 0) {
			return new float[0];
		}
		if (values.length != 1 && values.length != color.channels()) {
			throw new IllegalArgumentException(name + " needs one value or one per channel (" + color.channels()
					+ " for " + color.name().toLowerCase(java.util.Locale.ROOT) + "), not " + values.length);
		}
		for (float v : values) {
			if (!Float.isFinite(v) || (divisor && v == 0)) {
				throw new IllegalArgumentException(name + " must hold " + (divisor ? "non-zero " : "") + "numbers");
			}
		}
		return values.clone();
	}

	@Override
	public float[] mean() {
		return mean.clone();
	}

	@Override
	public float[] std() {
		return std.clone();
	}

	/** Whether the tensor is plain RGB scaled by one factor and offset. */
	boolean isPlainRgb() {
		return color == ColorOrder.RGB && mean.length == 0 && std.length == 0;
	}

	/** Number of floats one image occupies: height * width * channels. */
	public int tensorSize() {
		return width * height * color.channels();
	}

	// Records compare arrays by identity; these compare them by value.
	@Override
	public boolean equals(Object o) {
		return o instanceof Preprocessing p && mode == p.mode && width == p.width && height == p.height
				&& Float.compare(scale, p.scale) == 0 && Float.compare(offset, p.offset) == 0 && color == p.color
				&& java.util.Arrays.equals(mean, p.mean) && java.util.Arrays.equals(std, p.std);
	}

	@Override
	public int hashCode() {
		return java.util.Objects.hash(mode, width, height, scale, offset, color, java.util.Arrays.hashCode(mean),
				java.util.Arrays.hashCode(std));
	}

	@Override
	public String toString() {
		return "Preprocessing[" + mode + " " + width + "x" + height + " " + color + ", v * " + scale + " + " + offset
				+ (mean.length > 0 ? ", mean " + java.util.Arrays.toString(mean) : "")
				+ (std.length > 0 ? ", std " + java.util.Arrays.toString(std) : "") + "]";
	}
}
