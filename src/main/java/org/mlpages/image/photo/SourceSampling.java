package org.mlpages.image.photo;

import java.awt.Rectangle;

import javax.imageio.ImageReadParam;

/**
 * Which of a stored photo's pixels to decode for a model. A photo within the budget is
 * decoded whole, as before. A larger one only where the model's resize reads (the centre
 * crop, or all of it for a stretch), and there only every n-th column and row, as many as
 * keep {@link #MARGIN} times the model's input on each side: the reader skips the others
 * as it goes, so a decode costs the pixels it keeps, not the photo's.
 *
 * @param region the stored (not yet upright) pixels read
 * @param stepX every stepX-th stored column of the region is kept
 * @param stepY every stepY-th stored row of the region is kept
 * @param whole the photo is decoded as it is, no region or step asked of the reader
 */
record SourceSampling(Rectangle region, int stepX, int stepY, boolean whole) {

	/**
	 * Kept per side of the model's input. The resize (bilinear, no antialiasing) reads
	 * 2x2 pixels per output pixel whatever the photo's size, so it samples a large photo
	 * anyway; margins under 3 move the scores far more than that does. Measured on the 22
	 * test photos enlarged to 40 megapixels (SamplingMarginComparison, test sources),
	 * P(Dog) moves from the whole decode's by at most 0.15 (cats_vs_dogs) and 0.07
	 * (cat_dog_model), no label changed, and stays within 0.07 / 0.10 of the original
	 * photo's, closer than the whole decode (0.23 / 0.17); margin 1 moved it by up to
	 * 0.97.
	 */
	static final int MARGIN = 4;

	static SourceSampling whole(int width, int height) {
		return new SourceSampling(new Rectangle(0, 0, width, height), 1, 1, true);
	}

	/**
	 * @param storedWidth the photo's width as stored, before its EXIF orientation
	 * @param storedHeight its height as stored
	 * @param input the model's input, or {@code null} to decode whole
	 * @param budget the pixels up to which a photo is decoded whole
	 */
	static SourceSampling plan(int storedWidth, int storedHeight, int orientation, Preprocessing input, long budget) {
		if (input == null || (long) storedWidth * storedHeight <= budget) {
			return whole(storedWidth, storedHeight);
		}
		// the model's input is upright: plan upright, then turn the plan back to the
		// stored pixels (a quarter turn swaps the axes)
		boolean swap = orientation >= 5;
		int width = swap ? storedHeight : storedWidth;
		int height = swap ? storedWidth : storedHeight;
		Rectangle seen = TensorPreprocessor.seenRegion(width, height, input);
		int stepX = Math.max(1, seen.width / (MARGIN * input.width()));
		int stepY = Math.max(1, seen.height / (MARGIN * input.height()));
		// only an input of more than 1000x1000 pixels needs this: trade margin for the
		// budget, never going under the input's own size
		while ((long) kept(seen.width, stepX) * kept(seen.height, stepY) > budget) {
			boolean coarserX = kept(seen.width, stepX + 1) >= input.width();
			boolean coarserY = kept(seen.height, stepY + 1) >= input.height();
			if (!coarserX && !coarserY) {
				break;
			}
			boolean moreToSpareInX = (long) kept(seen.width, stepX) * input.height() >= (long) kept(seen.height, stepY)
					* input.width();
			if (coarserX && (moreToSpareInX || !coarserY)) {
				stepX++;
			}
			else {
				stepY++;
			}
		}
		Rectangle region = Orientation.stored(seen, storedWidth, storedHeight, orientation);
		return swap ? new SourceSampling(region, stepY, stepX, false) : new SourceSampling(region, stepX, stepY, false);
	}

	private static int kept(int side, int step) {
		return (side + step - 1) / step;
	}

	/** Width of the decoded (stored, not yet upright) image. */
	int width() {
		return kept(region.width, stepX);
	}

	/** Height of the decoded (stored, not yet upright) image. */
	int height() {
		return kept(region.height, stepY);
	}

	long pixels() {
		return (long) width() * height();
	}

	void applyTo(ImageReadParam param) {
		if (!whole) {
			param.setSourceRegion(region);
			param.setSourceSubsampling(stepX, stepY, 0, 0);
		}
	}

}
