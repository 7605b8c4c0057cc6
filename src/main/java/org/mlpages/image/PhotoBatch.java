package org.mlpages.image;

/**
 * Photos already turned into the model's input: {@code count} tensors of height x width x
 * 3, one after the other (NHWC), as TensorFlow expects them.
 */
public record PhotoBatch(float[] data, int count, int height, int width) {

	public PhotoBatch {
		if ((long) count * height * width * 3 != data.length) {
			throw new IllegalArgumentException("a batch of " + count + " x " + height + " x " + width + " x 3 needs "
					+ (long) count * height * width * 3 + " values, got " + data.length);
		}
	}

}
