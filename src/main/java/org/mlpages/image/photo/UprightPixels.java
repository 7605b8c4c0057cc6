package org.mlpages.image.photo;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;

/**
 * A photo's pixels as 0xRRGGBB, upright, read where the reader left them.
 * <p>
 * The model's resize reads four pixels for each value it writes: 200,000 reads for a
 * 224x224 input, whatever the photo's size. Turning a 2-megapixel JPEG into TYPE_INT_RGB
 * and then into an upright copy before those reads cost two more images of 8.6 MB in the
 * heap per photo and two million conversions; under a crowd of phone photos that garbage,
 * still live at each young collection, is what filled the old generation
 * (docs/benchmarks.md, real photos). Here the EXIF turn is a walk over the stored
 * samples, and the colour conversion is done for the pixels read only.
 * <p>
 * The 8-bit layouts JPEG, PNG, BMP and most WebP decode to are read in place; any other
 * layout is first converted whole by {@link RgbConversion}, which gives the same values.
 */
abstract sealed class UprightPixels permits UprightPixels.IntRgb, UprightPixels.InterleavedBytes {

	private final int width;

	private final int height;

	/**
	 * The index of upright pixel (0, 0) in the data, and what one upright column and one
	 * row add to it.
	 */
	private final int origin;

	private final int stepX;

	private final int stepY;

	private UprightPixels(Walk walk) {
		this.width = walk.width;
		this.height = walk.height;
		this.origin = walk.origin;
		this.stepX = walk.stepX;
		this.stepY = walk.stepY;
	}

	/**
	 * @param stored the image as decoded, before its EXIF orientation
	 * @param orientation the EXIF orientation still to apply, 1..8
	 */
	static UprightPixels of(BufferedImage stored, int orientation) {
		if (RgbConversion.isPlainIntRgb(stored)) {
			return new IntRgb(stored, orientation);
		}
		if (RgbConversion.isEightBitGreyOrRgb(stored.getRaster(), stored.getColorModel())) {
			return new InterleavedBytes(stored.getRaster(), stored.getColorModel(), orientation);
		}
		return new IntRgb(RgbConversion.toIntRgb(stored), orientation);
	}

	/**
	 * Whether {@link #of} reads this image as it is, without converting it whole first.
	 */
	static boolean readsInPlace(BufferedImage image) {
		return RgbConversion.isPlainIntRgb(image)
				|| RgbConversion.isEightBitGreyOrRgb(image.getRaster(), image.getColorModel());
	}

	/** The upright width. */
	final int width() {
		return width;
	}

	/** The upright height. */
	final int height() {
		return height;
	}

	/** The upright pixel at column {@code x}, row {@code y}, as 0xRRGGBB. */
	final int rgb(int x, int y) {
		return at(origin + x * stepX + y * stepY);
	}

	abstract int at(int index);

	/** TYPE_INT_RGB laid out row after row: one int a pixel. */
	static final class IntRgb extends UprightPixels {

		private final int[] data;

		private IntRgb(BufferedImage plain, int orientation) {
			super(Walk.of(plain.getWidth(), plain.getHeight(), 0, 1, plain.getWidth(), orientation));
			this.data = ((DataBufferInt) plain.getRaster().getDataBuffer()).getData();
		}

		@Override
		int at(int index) {
			return data[index] & 0xFFFFFF;
		}

	}

	/**
	 * Grey or RGB, with or without alpha, 8 bits a sample, interleaved in one byte array
	 * (JPEG's 3BYTE_BGR, grey, 4BYTE_ABGR...). Transparency is flattened onto white as
	 * {@link RgbConversion} does.
	 */
	static final class InterleavedBytes extends UprightPixels {

		private final byte[] data;

		private final int red;

		private final int green;

		private final int blue;

		private final int alpha;

		private final boolean premultiplied;

		private InterleavedBytes(Raster raster, ColorModel cm, int orientation) {
			super(walk(raster, orientation));
			this.data = ((DataBufferByte) raster.getDataBuffer()).getData();
			int[] bandOffsets = ((ComponentSampleModel) raster.getSampleModel()).getBandOffsets();
			boolean grey = cm.getNumColorComponents() == 1;
			this.red = bandOffsets[0];
			this.green = grey ? red : bandOffsets[1];
			this.blue = grey ? red : bandOffsets[2];
			this.alpha = cm.hasAlpha() ? bandOffsets[cm.getNumColorComponents()] : -1;
			this.premultiplied = cm.isAlphaPremultiplied();
		}

		private static Walk walk(Raster raster, int orientation) {
			ComponentSampleModel csm = (ComponentSampleModel) raster.getSampleModel();
			int pixelStride = csm.getPixelStride();
			int scanlineStride = csm.getScanlineStride();
			// not csm.getOffset(x, y): that already adds band 0's offset
			int first = raster.getDataBuffer().getOffset()
					+ (raster.getMinY() - raster.getSampleModelTranslateY()) * scanlineStride
					+ (raster.getMinX() - raster.getSampleModelTranslateX()) * pixelStride;
			return Walk.of(raster.getWidth(), raster.getHeight(), first, pixelStride, scanlineStride, orientation);
		}

		@Override
		int at(int index) {
			int r = data[index + red] & 0xFF;
			int g = data[index + green] & 0xFF;
			int b = data[index + blue] & 0xFF;
			if (alpha >= 0) {
				int a = data[index + alpha] & 0xFF;
				if (a != 255) {
					r = RgbConversion.flatten(r, a, premultiplied);
					g = RgbConversion.flatten(g, a, premultiplied);
					b = RgbConversion.flatten(b, a, premultiplied);
				}
			}
			return r << 16 | g << 8 | b;
		}

	}

	/**
	 * An EXIF orientation as a walk over stored samples: the stored column and row of
	 * upright pixel (x, y) are each a constant plus multiples of x and y (Orientation's
	 * table), so its index is too.
	 */
	private record Walk(int width, int height, int origin, int stepX, int stepY) {

		/**
		 * For each orientation 1..8, the stored column: whether it counts back from the
		 * last one, and what one upright column and one upright row add to it; then the
		 * same for the stored row.
		 */
		private static final int[][] TURNS = {
				// column: from last, per x, per y; row: from last, per x, per y
				{ 0, 1, 0, 0, 0, 1 }, // 1: as stored
				{ 1, -1, 0, 0, 0, 1 }, // 2: mirrored
				{ 1, -1, 0, 1, 0, -1 }, // 3: half a turn
				{ 0, 1, 0, 1, 0, -1 }, // 4: mirrored upside down
				{ 0, 0, 1, 0, 1, 0 }, // 5: transposed
				{ 0, 0, 1, 1, -1, 0 }, // 6: a quarter turn clockwise
				{ 1, 0, -1, 1, -1, 0 }, // 7: transversed
				{ 1, 0, -1, 0, 1, 0 }, // 8: a quarter turn anticlockwise
		};

		static Walk of(int storedWidth, int storedHeight, int first, int pixelStride, int scanlineStride,
				int orientation) {
			if (orientation < 1 || orientation > TURNS.length) {
				throw new IllegalArgumentException("EXIF orientation " + orientation);
			}
			int[] turn = TURNS[orientation - 1];
			int column = turn[0] * (storedWidth - 1);
			int row = turn[3] * (storedHeight - 1);
			boolean swap = orientation >= 5;
			return new Walk(swap ? storedHeight : storedWidth, swap ? storedWidth : storedHeight,
					first + column * pixelStride + row * scanlineStride,
					turn[1] * pixelStride + turn[4] * scanlineStride, turn[2] * pixelStride + turn[5] * scanlineStride);
		}

	}

}
