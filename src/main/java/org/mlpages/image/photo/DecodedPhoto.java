package org.mlpages.image.photo;

import java.awt.image.BufferedImage;

/**
 * A decoded, upright photo.
 *
 * @param image always {@link BufferedImage#TYPE_INT_RGB}, EXIF orientation already
 * applied, transparency flattened onto white; for a photo larger than the decoding
 * budget, only the part a model reads at reduced resolution
 * ({@link PhotoDecoder#decodeFor(byte[], Preprocessing)})
 * @param format the format recognised from the content: "jpeg", "png", "gif", "bmp",
 * "webp" or "tiff"
 * @param width the photo's width after orientation, that of {@code image} when decoded
 * whole
 * @param height the photo's height after orientation, that of {@code image} when decoded
 * whole
 * @param exifOrientation the EXIF orientation that was applied, 1 (none) to 8
 */
public record DecodedPhoto(BufferedImage image, String format, int width, int height, int exifOrientation) {

	public DecodedPhoto {
		if (image == null || image.getType() != BufferedImage.TYPE_INT_RGB) {
			throw new IllegalArgumentException("image must be TYPE_INT_RGB");
		}
		if (image.getWidth() > width || image.getHeight() > height) {
			throw new IllegalArgumentException("the image is larger than the photo's width/height");
		}
		if (exifOrientation < 1 || exifOrientation > 8) {
			throw new IllegalArgumentException("EXIF orientation must be 1..8: " + exifOrientation);
		}
	}
}
