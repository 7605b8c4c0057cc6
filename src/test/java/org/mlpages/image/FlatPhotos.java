package org.mlpages.image;

import java.util.Arrays;
import java.util.List;

/**
 * Batches from photos laid one after the other in one array (NHWC), as reference input
 * files and hand-made test tensors hold them.
 */
final class FlatPhotos {

	private FlatPhotos() {
	}

	static PhotoBatch split(float[] data, int count, int height, int width, int channels) {
		int perPhoto = height * width * channels;
		if ((long) count * perPhoto != data.length) {
			throw new IllegalArgumentException(
					count + " photos need " + (long) count * perPhoto + " values, got " + data.length);
		}
		float[][] photos = new float[count][];
		for (int i = 0; i < count; i++) {
			photos[i] = Arrays.copyOfRange(data, i * perPhoto, (i + 1) * perPhoto);
		}
		return new PhotoBatch(List.of(photos), height, width, channels);
	}

	/** RGB photos. */
	static PhotoBatch split(float[] data, int count, int height, int width) {
		return split(data, count, height, width, 3);
	}

}
