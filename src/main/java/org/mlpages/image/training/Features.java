package org.mlpages.image.training;

import java.util.List;

/**
 * Feature vectors of photos, row after row, with their class indices.
 *
 * @param values {@code size() * dimension} floats
 * @param files the photo each row came from, for the report
 */
public record Features(float[] values, int dimension, int[] labels, List<String> files) {

	public Features {
		if (values.length != (long) labels.length * dimension || files.size() != labels.length) {
			throw new IllegalArgumentException("one row of " + dimension + " features and one file per label");
		}
	}

	public int size() {
		return labels.length;
	}
}
