package org.mlpages.image.photo;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;

/**
 * Turns a photo into a float NHWC tensor (height, width, channels) for one image: RGB by
 * default, or BGR, or one grey channel.
 * <p>
 * The resize reproduces TF2's {@code tf.image.resize(method='bilinear', antialias=False)}
 * (half-pixel centres, float32 arithmetic, edge clamping), because that is what Keras
 * models see in training. Each interpolated value is then rounded to an integer 0..255,
 * as if the resized photo had been stored as 8-bit, and only then scaled:
 * {@code v * scale + offset}.
 * <p>
 * Instances are immutable and thread-safe.
 */
public final class TensorPreprocessor {

	private final Preprocessing preprocessing;

	public TensorPreprocessor(Preprocessing preprocessing) {
		if (preprocessing == null) {
			throw new IllegalArgumentException("preprocessing is required");
		}
		this.preprocessing = preprocessing;
	}

	public Preprocessing preprocessing() {
		return preprocessing;
	}

	/** Floats per image: height * width * channels. */
	public int tensorSize() {
		return preprocessing.tensorSize();
	}

	/** A new array of {@link #tensorSize()} floats holding the photo's tensor. */
	public float[] toTensor(DecodedPhoto photo) {
		float[] tensor = new float[tensorSize()];
		writeInto(photo, tensor, 0);
		return tensor;
	}

	/** A new array of {@link #tensorSize()} floats holding the image's tensor. */
	public float[] toTensor(BufferedImage image) {
		float[] tensor = new float[tensorSize()];
		writeInto(image, tensor, 0);
		return tensor;
	}

	/**
	 * Writes the photo's tensor into {@code dest[offset .. offset + tensorSize())}, e.g.
	 * the i-th slot of a batch at {@code offset = i * tensorSize()}, so a batch is built
	 * without copying. The pixels are read where the decoder left them, upright.
	 */
	public void writeInto(DecodedPhoto photo, float[] dest, int offset) {
		if (photo == null) {
			throw new IllegalArgumentException("photo is required");
		}
		write(photo.pixels(), dest, offset);
	}

	/**
	 * Writes the image's tensor into {@code dest[offset .. offset + tensorSize())}.
	 * @param image any BufferedImage, taken as upright
	 */
	public void writeInto(BufferedImage image, float[] dest, int offset) {
		if (image == null) {
			throw new IllegalArgumentException("image is required");
		}
		write(UprightPixels.of(image, Orientation.NORMAL), dest, offset);
	}

	private void write(UprightPixels pixels, float[] dest, int offset) {
		if (dest == null) {
			throw new IllegalArgumentException("dest is required");
		}
		if (offset < 0 || (long) offset + tensorSize() > dest.length) {
			throw new IndexOutOfBoundsException(
					"no room for " + tensorSize() + " floats at " + offset + " in an array of " + dest.length);
		}
		int w = pixels.width();
		int h = pixels.height();
		int tw = preprocessing.width();
		int th = preprocessing.height();

		Rectangle seen = seenRegion(w, h, preprocessing);
		int[] x0 = new int[tw];
		int[] x1 = new int[tw];
		float[] xLerp = new float[tw];
		weights(seen.width, tw, seen.x, x0, x1, xLerp);
		int[] y0 = new int[th];
		int[] y1 = new int[th];
		float[] yLerp = new float[th];
		weights(seen.height, th, seen.y, y0, y1, yLerp);

		float scale = preprocessing.scale();
		float add = preprocessing.offset();
		if (!preprocessing.isPlainRgb()) {
			writeOrdered(pixels, dest, offset, x0, x1, xLerp, y0, y1, yLerp);
			return;
		}
		int o = offset;
		for (int y = 0; y < th; y++) {
			int top = y0[y];
			int bottom = y1[y];
			float yl = yLerp[y];
			for (int x = 0; x < tw; x++) {
				int tl = pixels.rgb(x0[x], top);
				int tr = pixels.rgb(x1[x], top);
				int bl = pixels.rgb(x0[x], bottom);
				int br = pixels.rgb(x1[x], bottom);
				float xl = xLerp[x];
				dest[o++] = lerp2(tl >> 16 & 0xFF, tr >> 16 & 0xFF, bl >> 16 & 0xFF, br >> 16 & 0xFF, xl, yl) * scale
						+ add;
				dest[o++] = lerp2(tl >> 8 & 0xFF, tr >> 8 & 0xFF, bl >> 8 & 0xFF, br >> 8 & 0xFF, xl, yl) * scale + add;
				dest[o++] = lerp2(tl & 0xFF, tr & 0xFF, bl & 0xFF, br & 0xFF, xl, yl) * scale + add;
			}
		}
	}

	/**
	 * The same resize for a model that takes BGR, grey or per-channel normalised values:
	 * each pixel's channels rounded to 8 bits first, then reordered or merged, then
	 * scaled and normalised.
	 */
	private void writeOrdered(UprightPixels pixels, float[] dest, int offset, int[] x0, int[] x1, float[] xLerp,
			int[] y0, int[] y1, float[] yLerp) {
		ColorOrder color = preprocessing.color();
		int channels = color.channels();
		float[] add = new float[channels];
		float[] times = new float[channels];
		float[] mean = preprocessing.mean();
		float[] std = preprocessing.std();
		// (v * scale + offset - mean) / std as one multiply and one add per value
		for (int c = 0; c < channels; c++) {
			float m = mean.length == 0 ? 0 : mean[mean.length == 1 ? 0 : c];
			float s = std.length == 0 ? 1 : std[std.length == 1 ? 0 : c];
			times[c] = preprocessing.scale() / s;
			add[c] = (preprocessing.offset() - m) / s;
		}
		int o = offset;
		for (int y = 0; y < y0.length; y++) {
			for (int x = 0; x < x0.length; x++) {
				int tl = pixels.rgb(x0[x], y0[y]);
				int tr = pixels.rgb(x1[x], y0[y]);
				int bl = pixels.rgb(x0[x], y1[y]);
				int br = pixels.rgb(x1[x], y1[y]);
				int r = (int) lerp2(tl >> 16 & 0xFF, tr >> 16 & 0xFF, bl >> 16 & 0xFF, br >> 16 & 0xFF, xLerp[x],
						yLerp[y]);
				int g = (int) lerp2(tl >> 8 & 0xFF, tr >> 8 & 0xFF, bl >> 8 & 0xFF, br >> 8 & 0xFF, xLerp[x], yLerp[y]);
				int b = (int) lerp2(tl & 0xFF, tr & 0xFF, bl & 0xFF, br & 0xFF, xLerp[x], yLerp[y]);
				switch (color) {
					case GREY -> dest[o++] = ColorOrder.grey(r, g, b) * times[0] + add[0];
					case BGR -> {
						dest[o++] = b * times[0] + add[0];
						dest[o++] = g * times[1] + add[1];
						dest[o++] = r * times[2] + add[2];
					}
					case RGB -> {
						dest[o++] = r * times[0] + add[0];
						dest[o++] = g * times[1] + add[1];
						dest[o++] = b * times[2] + add[2];
					}
				}
			}
		}
	}

	/**
	 * The part of a {@code w} x {@code h} image the resize reads: the centred crop, or
	 * the whole image for a stretch. {@link PhotoDecoder} decodes only this part of a
	 * large photo.
	 */
	public static Rectangle seenRegion(int w, int h, Preprocessing preprocessing) {
		if (preprocessing.mode() != ResizeMode.CENTER_CROP) {
			return new Rectangle(0, 0, w, h);
		}
		int tw = preprocessing.width();
		int th = preprocessing.height();
		if ((long) w * th > (long) h * tw) {
			int cropW = clampSize(Math.round((double) h * tw / th), w);
			return new Rectangle((w - cropW) / 2, 0, cropW, h);
		}
		int cropH = clampSize(Math.round((double) w * th / tw), h);
		return new Rectangle(0, (h - cropH) / 2, w, cropH);
	}

	private static int clampSize(long size, int max) {
		return (int) Math.max(1, Math.min(size, max));
	}

	/**
	 * Source indices and weight for each output position along one axis, as TF's
	 * {@code compute_interpolation_weights} with its half-pixel scaler, in float32 like
	 * TF, so values that land near .5 round the same way.
	 */
	static void weights(int inSize, int outSize, int origin, int[] lower, int[] upper, float[] lerp) {
		float scale = (float) inSize / (float) outSize;
		for (int i = 0; i < outSize; i++) {
			float in = ((float) i + 0.5f) * scale - 0.5f;
			float floor = (float) Math.floor(in);
			lower[i] = origin + Math.min(Math.max((int) floor, 0), inSize - 1);
			upper[i] = origin + Math.min(Math.max((int) Math.ceil(in), 0), inSize - 1);
			lerp[i] = in - floor;
		}
	}

	/**
	 * TF's bilinear blend (horizontal first, then vertical), rounded half up to an 8-bit
	 * level. Half up rather than half to even: against the reference tensor it leaves 691
	 * instead of 2433 values a level off.
	 */
	private static float lerp2(int tl, int tr, int bl, int br, float xl, float yl) {
		float top = tl + (tr - tl) * xl;
		float bottom = bl + (br - bl) * xl;
		float v = top + (bottom - top) * yl;
		return (float) Math.round(v);
	}

}
