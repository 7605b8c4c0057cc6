package org.mlpages.image.photo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class UprightPixelsTest {

	private static final Path PHOTOS = Path.of("src/test/resources/photos");

	private static final Preprocessing SHIPPED_INPUT = new Preprocessing(ResizeMode.CENTER_CROP, 224, 224, 1f / 127.5f,
			-1f);

	@ParameterizedTest
	@ValueSource(ints = { BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
			BufferedImage.TYPE_4BYTE_ABGR_PRE, BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_INT_RGB,
			BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_BYTE_INDEXED })
	void everyTurnOfEveryLayoutReadsThePixelsOfTheUprightCopy(int type) {
		BufferedImage stored = noise(type, 7, 4);
		for (int orientation = 1; orientation <= 8; orientation++) {
			BufferedImage upright = Orientation.apply(RgbConversion.toIntRgb(stored), orientation);
			UprightPixels pixels = UprightPixels.of(stored, orientation);
			assertThat(pixels.width()).as("orientation %d", orientation).isEqualTo(upright.getWidth());
			assertThat(pixels.height()).as("orientation %d", orientation).isEqualTo(upright.getHeight());
			assertThat(read(pixels)).as("type %d, orientation %d", type, orientation).isEqualTo(read(upright));
		}
	}

	@Test
	void opaqueColourBytesAreTheStoredValues() {
		BufferedImage stored = noise(BufferedImage.TYPE_3BYTE_BGR, 5, 3);
		UprightPixels pixels = UprightPixels.of(stored, Orientation.NORMAL);
		for (int y = 0; y < 3; y++) {
			for (int x = 0; x < 5; x++) {
				assertThat(pixels.rgb(x, y)).isEqualTo(stored.getRGB(x, y) & 0xFFFFFF);
			}
		}
	}

	@Test
	void aSubimageIsReadWhereItLiesInItsParent() {
		BufferedImage parent = noise(BufferedImage.TYPE_3BYTE_BGR, 9, 8);
		BufferedImage part = parent.getSubimage(2, 3, 5, 4);
		for (int orientation = 1; orientation <= 8; orientation++) {
			BufferedImage upright = Orientation.apply(RgbConversion.toIntRgb(part), orientation);
			assertThat(read(UprightPixels.of(part, orientation))).as("orientation %d", orientation)
				.isEqualTo(read(upright));
		}
	}

	@Test
	void theTensorOfEveryTestPhotoIsTheTensorOfItsUprightCopy() throws IOException {
		PhotoDecoder decoder = new PhotoDecoder();
		TensorPreprocessor preprocessor = new TensorPreprocessor(SHIPPED_INPUT);
		List<Path> photos;
		try (Stream<Path> files = Files.list(PHOTOS)) {
			photos = files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
		}
		assertThat(photos).hasSizeGreaterThanOrEqualTo(22);
		for (Path photo : photos) {
			DecodedPhoto decoded = decoder.decodeFor(Files.readAllBytes(photo), SHIPPED_INPUT);
			assertThat(preprocessor.toTensor(decoded)).as(photo.getFileName().toString())
				.isEqualTo(preprocessor.toTensor(decoded.image()));
		}
	}

	/**
	 * What a phone-sized photo costs the heap: its raster (1200x1800, 3 bytes a pixel,
	 * 6.5 MB) and the reader's passing buffers, no longer an RGB and an upright copy
	 * besides.
	 */
	@Test
	void aPhoneSizedPhotoCostsTheHeapLittleMoreThanItsRaster() throws IOException {
		byte[] bytes = Files.readAllBytes(PHOTOS.resolve("nasser0111_cat.jpg"));
		PhotoDecoder decoder = new PhotoDecoder();
		TensorPreprocessor preprocessor = new TensorPreprocessor(SHIPPED_INPUT);
		preprocessor.toTensor(decoder.decodeFor(bytes, SHIPPED_INPUT));
		var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long before = threads.getCurrentThreadAllocatedBytes();
		DecodedPhoto decoded = decoder.decodeFor(bytes, SHIPPED_INPUT);
		float[] tensor = preprocessor.toTensor(decoded);
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;
		long raster = 3L * decoded.width() * decoded.height();
		System.out.printf("1200x1800 JPEG: %.1f MB allocated to decode and preprocess, raster %.1f MB%n",
				allocated / 1e6, raster / 1e6);
		assertThat(tensor).hasSize(224 * 224 * 3);
		assertThat(allocated).isLessThan(raster * 3);
	}

	private static BufferedImage noise(int type, int width, int height) {
		BufferedImage image = new BufferedImage(width, height, type);
		Random random = new Random(type);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				// some pixels fully transparent, some half, most opaque
				int alpha = switch (random.nextInt(4)) {
					case 0 -> 0;
					case 1 -> 128;
					default -> 255;
				};
				image.setRGB(x, y, alpha << 24 | random.nextInt(1 << 24));
			}
		}
		return image;
	}

	private static int[] read(UprightPixels pixels) {
		int[] out = new int[pixels.width() * pixels.height()];
		for (int y = 0; y < pixels.height(); y++) {
			for (int x = 0; x < pixels.width(); x++) {
				out[y * pixels.width() + x] = pixels.rgb(x, y);
			}
		}
		return out;
	}

	private static int[] read(BufferedImage upright) {
		int[] out = new int[upright.getWidth() * upright.getHeight()];
		for (int y = 0; y < upright.getHeight(); y++) {
			for (int x = 0; x < upright.getWidth(); x++) {
				out[y * upright.getWidth() + x] = upright.getRGB(x, y) & 0xFFFFFF;
			}
		}
		return out;
	}

}
