package org.mlpages.image.photo;

/**
 * The channels a model takes, in its order: RGB (Keras's own loaders), BGR (models
 * trained on OpenCV's {@code imread}, or Keras's "caffe" preprocessing), or one grey
 * channel.
 */
public enum ColorOrder {

	RGB(3), BGR(3), GREY(1);

	private final int channels;

	ColorOrder(int channels) {
		this.channels = channels;
	}

	public int channels() {
		return channels;
	}

	/**
	 * The grey level of an 8-bit RGB pixel as Pillow's {@code convert("L")} gives it
	 * (ITU-R 601 luma, rounded), which is what Keras's
	 * {@code load_img(color_mode="grayscale")} returns.
	 */
	static int grey(int r, int g, int b) {
		return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
	}

}
