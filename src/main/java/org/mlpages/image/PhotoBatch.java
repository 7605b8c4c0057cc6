package org.mlpages.image;

/**
 * Photos already turned into the model's input: {@code count} tensors of height x width x
 * channels, one after the other (NHWC), as TensorFlow expects them.
 */
public record PhotoBatch(float[] data, int count, int height, int width, int channels) {

	/** RGB photos. */
	public PhotoBatch(float[] data, int count, int height, int width) {
		this(data, count, height, width, 3);
	}

	public PhotoBatch {
		if ((long) count * height * width * channels != data.length) {
			throw new IllegalArgumentException("a batch of " + count + " x " + height + " x " + width + " x " + channels
					+ " needs " + (long) count * height * width * channels + " values, got " + data.length);
		}
	}

	/** Floats per photo. */
	public int perPhoto() {
		return height * width * channels;
	}

}
