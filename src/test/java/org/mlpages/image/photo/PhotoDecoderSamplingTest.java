package org.mlpages.image.photo;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A photo of more pixels than the decoding budget is decoded for a model at reduced
 * resolution, where the model looks, keeping its real size; one within the budget as
 * before.
 */
class PhotoDecoderSamplingTest {

	private static final int RED = 0xFF0000;

	private static final int GREEN = 0x00FF00;

	private static final int BLUE = 0x0000FF;

	private static final int YELLOW = 0xFFFF00;

	private static final Preprocessing MOBILENET = Preprocessing.minusOneToOne(ResizeMode.CENTER_CROP, 224, 224);

	private final PhotoDecoder decoder = new PhotoDecoder();

	@Test
	void aFortyMegapixelJpegIsDecodedWithinTheBudgetAndKeepsItsSize() throws IOException {
		// a smooth photo compresses small: 7300x5470 in well under the 10 MB upload limit
		byte[] jpeg = encode(gradient(7300, 5470), "jpeg");
		assertThat(jpeg.length).isLessThan(10 * 1024 * 1024);

		DecodedPhoto photo = decoder.decodeFor(jpeg, MOBILENET);

		assertThat(photo.width()).isEqualTo(7300);
		assertThat(photo.height()).isEqualTo(5470);
		BufferedImage image = photo.image();
		assertThat((long) image.getWidth() * image.getHeight())
			.isLessThanOrEqualTo(PhotoDecoder.DEFAULT_DECODING_BUDGET);
		// the centre square the model sees, at no less than 4 times its 224 pixels a side
		assertThat(image.getWidth()).isEqualTo(image.getHeight()).isGreaterThanOrEqualTo(4 * 224);
		// its left edge is the photo's column (7300 - 5470) / 2: red rises with x, green
		// with y
		assertThat(image.getRGB(0, 0) >> 16 & 0xFF).isCloseTo(255 * 915 / 7300, within(3));
		assertThat(image.getRGB(image.getWidth() - 1, image.getHeight() - 1) >> 8 & 0xFF).isCloseTo(255, within(3));
		assertThat(PhotoSizeCheck.warnings(photo.width(), photo.height(), MOBILENET)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "png", "gif", "bmp", "tiff" })
	void otherFormatsOverTheBudgetAreDecodedReducedToo(String format) throws IOException {
		// 6 megapixels, over the 4 of the budget
		byte[] bytes = encode(format.equals("gif") ? indexed(gradient(3000, 2000)) : gradient(3000, 2000), format);

		DecodedPhoto photo = decoder.decodeFor(bytes, MOBILENET);

		assertThat(photo.format()).isEqualTo(format);
		assertThat(photo.width()).isEqualTo(3000);
		assertThat(photo.height()).isEqualTo(2000);
		// the centre 2000x2000 square, every second pixel
		assertThat(photo.image().getWidth()).isEqualTo(1000);
		assertThat(photo.image().getHeight()).isEqualTo(1000);
	}

	@Test
	void photosWithinTheBudgetDecodeExactlyAsBefore() {
		for (String name : List.of("nasser0111_cat.jpg", "nasser0111_dog.jpg", "cdf_validation_cat.2000.jpg",
				"cdf_validation_dog.2005.jpg")) {
			byte[] bytes = Fixtures.referencePhoto(name);
			DecodedPhoto whole = decoder.decode(bytes);
			DecodedPhoto forModel = decoder.decodeFor(bytes, MOBILENET);
			assertThat(forModel.width()).isEqualTo(whole.width());
			assertThat(forModel.height()).isEqualTo(whole.height());
			assertThat(pixels(forModel.image())).as(name).isEqualTo(pixels(whole.image()));
		}
	}

	/**
	 * The stored pixels are read before they are turned upright: the region and the steps
	 * must follow the EXIF orientation, whose quarter turns swap the sides.
	 */
	@ParameterizedTest(name = "orientation {0}")
	@CsvSource({
			// orientation, top-left, top-right, bottom-left, bottom-right of the upright
			// photo
			"1, FF0000, 00FF00, 0000FF, FFFF00", "2, 00FF00, FF0000, FFFF00, 0000FF",
			"3, FFFF00, 0000FF, 00FF00, FF0000", "4, 0000FF, FFFF00, FF0000, 00FF00",
			"5, FF0000, 0000FF, 00FF00, FFFF00", "6, 0000FF, FF0000, FFFF00, 00FF00",
			"7, FFFF00, 00FF00, 0000FF, FF0000", "8, 00FF00, FFFF00, FF0000, 0000FF", })
	void theReducedPartFollowsTheExifOrientation(int orientation, String tl, String tr, String bl, String br)
			throws IOException {
		// 640x480 stored, red green / blue yellow; a budget smaller than the photo
		byte[] jpeg = Fixtures.jpegWithExif(quadrants(640, 480), Fixtures.exifOrientation(orientation));
		PhotoDecoder small = new PhotoDecoder(PhotoDecoder.DEFAULT_MAX_PIXELS, 100_000);
		boolean turned = orientation >= 5;
		int width = turned ? 480 : 640;
		int height = turned ? 640 : 480;

		// a stretch reads the whole photo, upright 640x480: every 4th pixel keeps 4 times
		// 40x30; turned, 480x640: every 3rd column and 5th row
		DecodedPhoto stretched = small.decodeFor(jpeg, new Preprocessing(ResizeMode.STRETCH, 40, 30, 1, 0));
		assertThat(stretched.width()).isEqualTo(width);
		assertThat(stretched.height()).isEqualTo(height);
		assertThat(stretched.image().getWidth()).isEqualTo(160);
		assertThat(stretched.image().getHeight()).isEqualTo(turned ? 128 : 120);
		assertCorners(stretched.image(), hex(tl), hex(tr), hex(bl), hex(br));

		// a crop to a tall input reads the centre, still across the quadrants' borders
		DecodedPhoto cropped = small.decodeFor(jpeg, new Preprocessing(ResizeMode.CENTER_CROP, 20, 40, 1, 0));
		assertThat(cropped.width()).isEqualTo(width);
		assertThat(cropped.height()).isEqualTo(height);
		int cropWidth = Math.round(height * 20f / 40f);
		// every 3rd (turned: 4th) pixel of the centre keeps 4 times 20x40
		int step = turned ? 4 : 3;
		assertThat(cropped.image().getWidth()).isEqualTo((cropWidth + step - 1) / step);
		assertThat(cropped.image().getHeight()).isEqualTo((height + step - 1) / step);
		assertCorners(cropped.image(), hex(tl), hex(tr), hex(bl), hex(br));
	}

	@ParameterizedTest
	@ValueSource(strings = { "progressive.jpg", "cmyk.jpg", "grey.jpg", "rgb16.png", "transparent.png",
			"palette-transparent.png", "animated.gif", "image.bmp", "image.tiff", "lossy.webp", "lossless-alpha.webp" })
	void everyReaderTakesARegionAndSteps(String name) {
		byte[] bytes = Fixtures.photo(name);
		DecodedPhoto whole = decoder.decode(bytes);
		PhotoDecoder small = new PhotoDecoder(PhotoDecoder.DEFAULT_MAX_PIXELS, 100);

		DecodedPhoto reduced = small.decodeFor(bytes, new Preprocessing(ResizeMode.STRETCH, 2, 2, 1, 0));

		assertThat(reduced.width()).isEqualTo(whole.width());
		assertThat(reduced.height()).isEqualTo(whole.height());
		// 8 (4 times 2) pixels a side, give or take a step's remainder
		assertThat(reduced.image().getWidth()).isBetween(8, 15);
		assertThat(reduced.image().getHeight()).isBetween(8, 15);
		// its top left pixel is (near) the photo's: flat colours, blurred by lossy
		// formats
		assertColour(reduced.image().getRGB(0, 0), whole.image().getRGB(0, 0), 30);
	}

	private static BufferedImage gradient(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
		byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				int i = (y * width + x) * 3;
				bgr[i] = (byte) 128;
				bgr[i + 1] = (byte) (y * 255 / (height - 1));
				bgr[i + 2] = (byte) (x * 255 / (width - 1));
			}
		}
		return image;
	}

	private static BufferedImage indexed(BufferedImage image) {
		BufferedImage indexed = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_INDEXED);
		indexed.getGraphics().drawImage(image, 0, 0, null);
		return indexed;
	}

	private static byte[] quadrants(int width, int height) throws IOException {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				image.setRGB(x, y, y < height / 2 ? (x < width / 2 ? RED : GREEN) : (x < width / 2 ? BLUE : YELLOW));
			}
		}
		return encode(image, "jpeg");
	}

	private static byte[] encode(BufferedImage image, String format) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		assertThat(ImageIO.write(image, format, out)).as("a writer for " + format).isTrue();
		return out.toByteArray();
	}

	private static int[] pixels(BufferedImage image) {
		return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
	}

	private static int hex(String s) {
		return Integer.parseInt(s.trim(), 16);
	}

	private static void assertCorners(BufferedImage image, int tl, int tr, int bl, int br) {
		int w = image.getWidth();
		int h = image.getHeight();
		assertColour(image.getRGB(2, 2), tl);
		assertColour(image.getRGB(w - 3, 2), tr);
		assertColour(image.getRGB(2, h - 3), bl);
		assertColour(image.getRGB(w - 3, h - 3), br);
	}

	private static void assertColour(int actual, int expected) {
		assertColour(actual, expected, 12);
	}

	private static void assertColour(int actual, int expected, int tolerance) {
		for (int shift = 0; shift <= 16; shift += 8) {
			int a = actual >> shift & 0xFF;
			int e = expected >> shift & 0xFF;
			assertThat(Math.abs(a - e)).as("%06x vs expected %06x", actual & 0xFFFFFF, expected)
				.isLessThanOrEqualTo(tolerance);
		}
	}

}
