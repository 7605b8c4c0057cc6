package org.mlpages.image.photo;

import java.awt.image.BufferedImage;

/**
 * A decoded photo: its pixels as the reader left them and the EXIF turn that makes them
 * upright. A model's tensor is read from them in place
 * ({@link TensorPreprocessor#writeInto(DecodedPhoto, float[], int)}); {@link #image()}
 * makes the upright TYPE_INT_RGB copy for whoever needs the picture itself.
 */
public final class DecodedPhoto {

	private final BufferedImage stored;

	private final int turn;

	private final String format;

	private final int width;

	private final int height;

	private final int exifOrientation;

	/**
	 * A photo already upright.
	 * @param image {@link BufferedImage#TYPE_INT_RGB}, EXIF orientation already applied,
	 * transparency flattened onto white; for a photo larger than the decoding budget,
	 * only the part a model reads at reduced resolution
	 * ({@link PhotoDecoder#decodeFor(byte[], Preprocessing)})
	 * @param format the format recognised from the content: "jpeg", "png", "gif", "bmp",
	 * "webp" or "tiff"
	 * @param width the photo's width after orientation, that of {@code image} when
	 * decoded whole
	 * @param height the photo's height after orientation, that of {@code image} when
	 * decoded whole
	 * @param exifOrientation the EXIF orientation that was applied, 1 (none) to 8
	 */
	public DecodedPhoto(BufferedImage image, String format, int width, int height, int exifOrientation) {
		this(image, Orientation.NORMAL, format, width, height, exifOrientation);
		if (image.getType() != BufferedImage.TYPE_INT_RGB) {
			throw new IllegalArgumentException("image must be TYPE_INT_RGB");
		}
	}

	private DecodedPhoto(BufferedImage stored, int turn, String format, int width, int height, int exifOrientation) {
		if (stored == null) {
			throw new IllegalArgumentException("image is required");
		}
		if (exifOrientation < 1 || exifOrientation > 8) {
			throw new IllegalArgumentException("EXIF orientation must be 1..8: " + exifOrientation);
		}
		boolean swap = turn >= 5;
		int uprightWidth = swap ? stored.getHeight() : stored.getWidth();
		int uprightHeight = swap ? stored.getWidth() : stored.getHeight();
		if (uprightWidth > width || uprightHeight > height) {
			throw new IllegalArgumentException("the image is larger than the photo's width/height");
		}
		this.stored = stored;
		this.turn = turn;
		this.format = format;
		this.width = width;
		this.height = height;
		this.exifOrientation = exifOrientation;
	}

	/**
	 * As a reader decoded it: any layout, not yet turned by its EXIF orientation
	 * {@code orientation}.
	 */
	static DecodedPhoto asRead(BufferedImage stored, int orientation, String format, int width, int height) {
		return new DecodedPhoto(stored, orientation, format, width, height, orientation);
	}

	/**
	 * The upright pixels as a new TYPE_INT_RGB image (this one when it is already so),
	 * transparency flattened onto white.
	 */
	public BufferedImage image() {
		return Orientation.apply(RgbConversion.toIntRgb(stored), turn);
	}

	/** The upright pixels, read in place. */
	UprightPixels pixels() {
		return UprightPixels.of(stored, turn);
	}

	/** The format recognised from the content. */
	public String format() {
		return format;
	}

	/** The photo's width after orientation. */
	public int width() {
		return width;
	}

	/** The photo's height after orientation. */
	public int height() {
		return height;
	}

	/** The EXIF orientation, 1 (none) to 8. */
	public int exifOrientation() {
		return exifOrientation;
	}

}
