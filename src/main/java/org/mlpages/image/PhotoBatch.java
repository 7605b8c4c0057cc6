package org.mlpages.image;

import java.util.List;

/**
 * Photos already turned into the model's input, each a tensor of height x width x
 * channels (HWC), as TensorFlow expects them. They stay separate arrays: whoever gathers
 * them (the batcher, a slice for one predictor, an explanation's variants) does not copy
 * them into one, the translator writes them straight into the engine's native input.
 */
public record PhotoBatch(List<float[]> photos, int height, int width, int channels) {

	public PhotoBatch {
		photos = List.copyOf(photos);
		if (photos.isEmpty()) {
			throw new IllegalArgumentException("a batch needs at least one photo");
		}
		long perPhoto = (long) height * width * channels;
		for (float[] photo : photos) {
			if (photo.length != perPhoto) {
				throw new IllegalArgumentException("a photo of " + height + " x " + width + " x " + channels + " needs "
						+ perPhoto + " values, got " + photo.length);
			}
		}
	}

	/** One photo. */
	public static PhotoBatch of(float[] photo, int height, int width, int channels) {
		return new PhotoBatch(List.of(photo), height, width, channels);
	}

	/** One RGB photo. */
	public static PhotoBatch of(float[] photo, int height, int width) {
		return of(photo, height, width, 3);
	}

	public int count() {
		return photos.size();
	}

	/** Floats per photo. */
	public int perPhoto() {
		return height * width * channels;
	}

	/** The photos from {@code from} (included) to {@code to} (excluded), not copied. */
	public PhotoBatch slice(int from, int to) {
		return new PhotoBatch(photos.subList(from, to), height, width, channels);
	}

}
