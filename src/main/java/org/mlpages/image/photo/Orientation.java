package org.mlpages.image.photo;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.tiff.TiffMetadataReader;
import com.drew.imaging.webp.WebpMetadataReader;
import com.drew.lang.ByteArrayReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;

/**
 * EXIF orientation: phones store the sensor's pixels as they come and record in the EXIF
 * how to turn them, so the same photo is sideways to the model unless the tag is applied.
 */
final class Orientation {

	static final int NORMAL = 1;

	private Orientation() {
	}

	/**
	 * The EXIF orientation 1..8 stored in the bytes, or 1 when there is none. Never
	 * fails: a photo with a broken EXIF block is still a photo.
	 */
	static int read(byte[] bytes, String format) {
		try {
			Metadata metadata = switch (format) {
				// only the EXIF segment reader: the others (ICC, XMP, IPTC, ...) cost
				// time and bring failure modes
				case "jpeg" ->
					JpegMetadataReader.readMetadata(new ByteArrayInputStream(bytes), List.of(new ExifReader()));
				case "png" -> pngExif(bytes);
				case "webp" -> WebpMetadataReader.readMetadata(new ByteArrayInputStream(bytes));
				// TIFF keeps the tag in the image's own IFD0, which ImageIO's reader does
				// not apply either
				case "tiff" -> TiffMetadataReader.readMetadata(new ByteArrayReader(bytes));
				default -> null;
			};
			if (metadata == null) {
				return NORMAL;
			}
			for (Directory directory : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
				Integer value = directory.getInteger(ExifDirectoryBase.TAG_ORIENTATION);
				if (value != null) {
					return value >= 1 && value <= 8 ? value : NORMAL;
				}
			}
			return NORMAL;
		}
		catch (Exception | StackOverflowError e) {
			// metadata-extractor parses untrusted offsets; whatever goes wrong there, the
			// pixels may be fine
			return NORMAL;
		}
	}

	/**
	 * The EXIF of a PNG's eXIf chunk. Not metadata-extractor's PngMetadataReader: it also
	 * inflates every zTXt and iCCP chunk, so a few hundred KB of crafted PNG cost it
	 * close to a GB of heap.
	 */
	private static Metadata pngExif(byte[] png) {
		Metadata metadata = new Metadata();
		int at = 8;
		while (at + 8 <= png.length) {
			long length = (png[at] & 0xFFL) << 24 | (png[at + 1] & 0xFF) << 16 | (png[at + 2] & 0xFF) << 8
					| (png[at + 3] & 0xFF);
			int dataStart = at + 8;
			if (length > png.length - dataStart) {
				break;
			}
			if (png[at + 4] == 'e' && png[at + 5] == 'X' && png[at + 6] == 'I' && png[at + 7] == 'f') {
				byte[] tiff = Arrays.copyOfRange(png, dataStart, dataStart + (int) length);
				new ExifReader().extract(new ByteArrayReader(tiff), metadata);
				break;
			}
			at = dataStart + (int) length + 4;
		}
		return metadata;
	}

	/**
	 * Where a rectangle of the upright image lies in the stored one, whose size is
	 * {@code storedW} x {@code storedH}: the pixels {@link #apply} would move into it.
	 */
	static Rectangle stored(Rectangle upright, int storedW, int storedH, int orientation) {
		int[] a = storedPixel(upright.x, upright.y, storedW, storedH, orientation);
		int[] b = storedPixel(upright.x + upright.width - 1, upright.y + upright.height - 1, storedW, storedH,
				orientation);
		int x = Math.min(a[0], b[0]);
		int y = Math.min(a[1], b[1]);
		return new Rectangle(x, y, Math.max(a[0], b[0]) - x + 1, Math.max(a[1], b[1]) - y + 1);
	}

	/** The stored column and row of the upright pixel (ux, uy): the inverse of apply. */
	private static int[] storedPixel(int ux, int uy, int w, int h, int orientation) {
		return switch (orientation) {
			case 1 -> new int[] { ux, uy };
			case 2 -> new int[] { w - 1 - ux, uy };
			case 3 -> new int[] { w - 1 - ux, h - 1 - uy };
			case 4 -> new int[] { ux, h - 1 - uy };
			case 5 -> new int[] { uy, ux };
			case 6 -> new int[] { uy, h - 1 - ux };
			case 7 -> new int[] { w - 1 - uy, h - 1 - ux };
			case 8 -> new int[] { w - 1 - uy, ux };
			default -> throw new IllegalArgumentException("EXIF orientation " + orientation);
		};
	}

	/**
	 * Returns an upright copy of a TYPE_INT_RGB image, or the image itself for
	 * orientation 1.
	 */
	static BufferedImage apply(BufferedImage src, int orientation) {
		if (orientation == NORMAL) {
			return src;
		}
		int w = src.getWidth();
		int h = src.getHeight();
		boolean swap = orientation >= 5;
		int dw = swap ? h : w;
		int dh = swap ? w : h;
		int[] in = ((DataBufferInt) src.getRaster().getDataBuffer()).getData();
		BufferedImage dst = new BufferedImage(dw, dh, BufferedImage.TYPE_INT_RGB);
		int[] out = ((DataBufferInt) dst.getRaster().getDataBuffer()).getData();
		// every orientation is an affine walk over the source: index = base + dx * stepX
		// + dy * stepY
		int last = h - 1;
		int base;
		int stepX;
		int stepY;
		switch (orientation) {
			case 2 -> {
				base = w - 1;
				stepX = -1;
				stepY = w;
			}
			case 3 -> {
				base = last * w + w - 1;
				stepX = -1;
				stepY = -w;
			}
			case 4 -> {
				base = last * w;
				stepX = 1;
				stepY = -w;
			}
			case 5 -> {
				base = 0;
				stepX = w;
				stepY = 1;
			}
			case 6 -> {
				base = last * w;
				stepX = -w;
				stepY = 1;
			}
			case 7 -> {
				base = last * w + w - 1;
				stepX = -w;
				stepY = -1;
			}
			case 8 -> {
				base = w - 1;
				stepX = w;
				stepY = -1;
			}
			default -> throw new IllegalArgumentException("EXIF orientation " + orientation);
		}
		for (int dy = 0; dy < dh; dy++) {
			int o = dy * dw;
			int i = base + dy * stepY;
			for (int dx = 0; dx < dw; dx++, i += stepX) {
				out[o + dx] = in[i];
			}
		}
		return dst;
	}

}
