package org.mlpages.image.photo;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;

/**
 * Turns whatever an ImageIO reader produced into TYPE_INT_RGB, with transparency
 * flattened onto white.
 * <p>
 * Deliberately works on raw samples instead of
 * {@code Graphics2D.drawImage}/{@code getRGB}: Java2D treats greyscale as linear light
 * and brightens it on the way to sRGB, and applies embedded ICC profiles, while the
 * libraries the models were trained with (PIL, tf.io.decode_*) take the stored values as
 * they are. Matching training matters more here than colour management.
 */
final class RgbConversion {

	private static final int WHITE = 0xFFFFFF;

	private RgbConversion() {
	}

	static BufferedImage toIntRgb(BufferedImage src) {
		if (isPlainIntRgb(src)) {
			return src;
		}
		int w = src.getWidth();
		int h = src.getHeight();
		ColorModel cm = src.getColorModel();
		Raster raster = src.getRaster();
		BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
		int[] out = ((DataBufferInt) dst.getRaster().getDataBuffer()).getData();

		if (cm instanceof IndexColorModel icm) {
			fromIndexed(raster, icm, out, w, h);
		}
		else if ((cm instanceof ComponentColorModel || cm instanceof DirectColorModel) && isGreyOrRgb(cm)
				&& cm.getNumComponents() == raster.getNumBands()) {
			if (isEightBitInterleaved(raster, cm)) {
				fromInterleavedBytes(src, out, w, h);
			}
			else {
				fromSamples(raster, cm, out, w, h);
			}
		}
		else {
			// CMYK that the reader did not convert, or an exotic colour model: let Java2D
			// handle it
			Graphics2D g = dst.createGraphics();
			try {
				g.setColor(Color.WHITE);
				g.fillRect(0, 0, w, h);
				g.drawImage(src, 0, 0, null);
			}
			finally {
				g.dispose();
			}
		}
		return dst;
	}

	/**
	 * TYPE_INT_RGB whose int[] holds exactly its pixels, row after row, so callers may
	 * index it directly.
	 */
	static boolean isPlainIntRgb(BufferedImage image) {
		if (image.getType() != BufferedImage.TYPE_INT_RGB) {
			return false;
		}
		WritableRaster raster = image.getRaster();
		return raster.getDataBuffer().getOffset() == 0 && raster.getSampleModelTranslateX() == 0
				&& raster.getSampleModelTranslateY() == 0
				&& raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm
				&& sm.getScanlineStride() == image.getWidth()
				&& ((DataBufferInt) raster.getDataBuffer()).getData().length == image.getWidth() * image.getHeight();
	}

	/**
	 * Grey or RGB, with or without alpha, 8 bits a sample in one interleaved byte array:
	 * what {@link UprightPixels} reads in place.
	 */
	static boolean isEightBitGreyOrRgb(Raster raster, ColorModel cm) {
		return cm instanceof ComponentColorModel && isGreyOrRgb(cm) && cm.getNumComponents() == raster.getNumBands()
				&& isEightBitInterleaved(raster, cm);
	}

	private static boolean isGreyOrRgb(ColorModel cm) {
		int type = cm.getColorSpace().getType();
		int colours = cm.getNumColorComponents();
		return (type == ColorSpace.TYPE_GRAY && colours == 1) || (type == ColorSpace.TYPE_RGB && colours == 3);
	}

	private static boolean isEightBitInterleaved(Raster raster, ColorModel cm) {
		if (!(raster.getDataBuffer() instanceof DataBufferByte) || raster.getDataBuffer().getNumBanks() != 1
				|| !(raster.getSampleModel() instanceof ComponentSampleModel csm)
				|| !(cm instanceof ComponentColorModel)) {
			return false;
		}
		for (int i = 0; i < cm.getNumComponents(); i++) {
			if (cm.getComponentSize(i) != 8) {
				return false;
			}
		}
		for (int bank : csm.getBankIndices()) {
			if (bank != 0) {
				return false;
			}
		}
		return true;
	}

	private static void fromIndexed(Raster raster, IndexColorModel icm, int[] out, int w, int h) {
		int size = icm.getMapSize();
		int[] lut = new int[size];
		for (int i = 0; i < size; i++) {
			int argb = icm.getRGB(i);
			int a = argb >>> 24;
			lut[i] = a == 255 ? argb & WHITE
					: over(argb >> 16 & 0xFF, a) << 16 | over(argb >> 8 & 0xFF, a) << 8 | over(argb & 0xFF, a);
		}
		int[] row = new int[w];
		for (int y = 0; y < h; y++) {
			raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
			int base = y * w;
			for (int x = 0; x < w; x++) {
				int index = row[x];
				// a corrupt file may index past a short palette; show such pixels as the
				// first entry
				out[base + x] = index < size ? lut[index] : lut[0];
			}
		}
	}

	private static void fromInterleavedBytes(BufferedImage src, int[] out, int w, int h) {
		UprightPixels pixels = UprightPixels.of(src, Orientation.NORMAL);
		for (int y = 0; y < h; y++) {
			int o = y * w;
			for (int x = 0; x < w; x++) {
				out[o + x] = pixels.rgb(x, y);
			}
		}
	}

	/**
	 * Any bit depth and layout (16-bit PNG, packed ARGB, ...), at the cost of a copy per
	 * row.
	 */
	private static void fromSamples(Raster raster, ColorModel cm, int[] out, int w, int h) {
		int bands = raster.getNumBands();
		int colours = cm.getNumColorComponents();
		boolean alpha = cm.hasAlpha();
		boolean premultiplied = cm.isAlphaPremultiplied();
		int[] max = new int[bands];
		for (int i = 0; i < bands; i++) {
			max[i] = (1 << cm.getComponentSize(i)) - 1;
		}
		boolean floatingPoint = raster.getDataBuffer().getDataType() == DataBuffer.TYPE_FLOAT
				|| raster.getDataBuffer().getDataType() == DataBuffer.TYPE_DOUBLE;
		float[] frow = floatingPoint ? new float[w * bands] : null;
		int[] row = floatingPoint ? null : new int[w * bands];
		int[] v = new int[bands];
		for (int y = 0; y < h; y++) {
			if (floatingPoint) {
				raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, frow);
			}
			else {
				raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
			}
			int o = y * w;
			for (int x = 0; x < w; x++) {
				int at = x * bands;
				for (int i = 0; i < bands; i++) {
					v[i] = floatingPoint ? clamp(Math.round(frow[at + i] * 255f))
							: max[i] == 255 ? row[at + i] : to8(row[at + i], max[i]);
				}
				int r = v[0];
				int g = colours == 1 ? r : v[1];
				int b = colours == 1 ? r : v[2];
				if (alpha) {
					int a = v[colours];
					if (a != 255) {
						r = flatten(r, a, premultiplied);
						g = flatten(g, a, premultiplied);
						b = flatten(b, a, premultiplied);
					}
				}
				out[o + x] = r << 16 | g << 8 | b;
			}
		}
	}

	private static int to8(int value, int max) {
		return clamp((int) (((long) value * 255 + max / 2) / max));
	}

	private static int clamp(int v) {
		return v < 0 ? 0 : Math.min(v, 255);
	}

	/** A colour sample with its alpha, over white. */
	static int flatten(int c, int a, boolean premultiplied) {
		return premultiplied ? overPremultiplied(c, a) : over(c, a);
	}

	/** Straight alpha over white, rounded. */
	private static int over(int c, int a) {
		return (c * a + 255 * (255 - a) + 127) / 255;
	}

	/** Premultiplied colour already carries its alpha; only white's share is added. */
	private static int overPremultiplied(int c, int a) {
		return Math.min(255, c + 255 - a);
	}

}
