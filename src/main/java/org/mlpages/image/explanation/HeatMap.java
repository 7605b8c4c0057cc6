package org.mlpages.image.explanation;

import java.awt.image.BufferedImage;

/**
 * A map of where an image model looked, over the part of the photo the model saw: a grid
 * of values, row by row from the top left, higher where the answer depended more on the
 * photo.
 *
 * @param method {@value #OCCLUSION} or {@value #CLASS_ACTIVATION}
 * @param values for occlusion, the answer's probability lost when the cell is greyed out
 * @param probability the answer's probability for the whole photo, as the map saw it
 */
public record HeatMap(String method, int rows, int cols, float[] values, float probability) {

	public static final String OCCLUSION = "occlusion";

	public static final String CLASS_ACTIVATION = "class-activation";

	public HeatMap {
		if (values.length != rows * cols) {
			throw new IllegalArgumentException(values.length + " values for " + rows + " x " + cols);
		}
	}

	public float value(int row, int col) {
		return values[row * cols + col];
	}

	/** The cell with the highest value, as {row, col}. */
	public int[] hottest() {
		int best = 0;
		for (int i = 1; i < values.length; i++) {
			if (values[i] > values[best]) {
				best = i;
			}
		}
		return new int[] { best / cols, best % cols };
	}

	/**
	 * The map as an image to lay over the photo: transparent where the value is zero or
	 * below, then yellow to red and more opaque up to the highest value. Each cell's
	 * value is spread smoothly over its pixels (bilinear between cell centres).
	 */
	public BufferedImage overlay(int width, int height) {
		float max = 0;
		for (float value : values) {
			max = Math.max(max, value);
		}
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
		for (int y = 0; y < height; y++) {
			float gy = Math.max(0, Math.min(rows - 1, (y + 0.5f) * rows / height - 0.5f));
			int r0 = (int) gy;
			int r1 = Math.min(rows - 1, r0 + 1);
			float fy = gy - r0;
			for (int x = 0; x < width; x++) {
				float gx = Math.max(0, Math.min(cols - 1, (x + 0.5f) * cols / width - 0.5f));
				int c0 = (int) gx;
				int c1 = Math.min(cols - 1, c0 + 1);
				float fx = gx - c0;
				float v = (value(r0, c0) * (1 - fx) + value(r0, c1) * fx) * (1 - fy)
						+ (value(r1, c0) * (1 - fx) + value(r1, c1) * fx) * fy;
				float t = max <= 0 ? 0 : Math.max(0, Math.min(1, v / max));
				int alpha = Math.round(t * 170);
				int green = Math.round(220 * (1 - t));
				image.setRGB(x, y, alpha << 24 | 255 << 16 | green << 8);
			}
		}
		return image;
	}

}
