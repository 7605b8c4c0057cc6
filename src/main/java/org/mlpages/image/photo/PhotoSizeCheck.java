package org.mlpages.image.photo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.mlpages.image.photo.PhotoRejectedException.Reason;

/**
 * Whether a photo's size leaves a model anything to see. A model answers a 1x1 photo as
 * confidently as a real one, so a photo whose shortest side is under a floor is refused;
 * one much smaller than the model's input (enlarged more than twice) or much more
 * elongated than it (a centre crop keeps less than a quarter of it, a stretch squeezes it
 * as much) is answered with a warning.
 * <p>
 * Decided on the photo's upright size, so that the result page, which has only the size
 * kept with the prediction, shows the same warnings as the answer did.
 */
public final class PhotoSizeCheck {

	/**
	 * The shortest side under which a photo is refused, unless the model's input is
	 * smaller still.
	 */
	public static final int DEFAULT_MIN_SIDE = 32;

	/**
	 * Enlarging more than this on either axis invents most of the pixels the model sees.
	 */
	static final int SMALL_FACTOR = 2;

	/**
	 * Beyond an aspect ratio this many times the input's, or its inverse, a centre crop
	 * keeps less than a quarter of the photo, and a stretch squeezes it as much.
	 */
	static final int ELONGATION_LIMIT = 4;

	/** What a photo that is answered may be warned about. */
	public enum Warning {

		SMALL, ELONGATED;

		/** Stable across languages, for API clients. */
		public String code() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private final int minSide;

	public PhotoSizeCheck(int minSide) {
		if (minSide < 1) {
			throw new IllegalArgumentException("minSide must be at least 1: " + minSide);
		}
		this.minSide = minSide;
	}

	/**
	 * The shortest side accepted for a model: the configured floor, or the input's own
	 * shortest side when it is smaller (a 28x28 model takes 28x28 photos).
	 */
	public int floor(Preprocessing input) {
		return Math.min(minSide, Math.min(input.width(), input.height()));
	}

	/**
	 * @throws PhotoRejectedException with {@link Reason#TOO_SMALL} when the photo's
	 * shortest side is under {@link #floor(Preprocessing)}
	 */
	public void requireMinimum(DecodedPhoto photo, Preprocessing input) {
		int floor = floor(input);
		if (Math.min(photo.width(), photo.height()) < floor) {
			throw new PhotoRejectedException(
					Reason.TOO_SMALL, photo.format() + " of " + photo.width() + "x" + photo.height()
							+ " has a side under " + floor + " pixels",
					photo.format(), photo.width(), photo.height(), null);
		}
	}

	/**
	 * The warnings for a photo of this upright size fed to this input; empty when none.
	 */
	public static List<Warning> warnings(int width, int height, Preprocessing input) {
		List<Warning> warnings = new ArrayList<>();
		if ((long) width * SMALL_FACTOR < input.width() || (long) height * SMALL_FACTOR < input.height()) {
			warnings.add(Warning.SMALL);
		}
		// compares width/height with the input's without dividing: w/h > 4 * iw/ih, or
		// the reverse
		long photoShape = (long) width * input.height();
		long inputShape = (long) height * input.width();
		if (photoShape > ELONGATION_LIMIT * inputShape || inputShape > ELONGATION_LIMIT * photoShape) {
			warnings.add(Warning.ELONGATED);
		}
		return List.copyOf(warnings);
	}

}
