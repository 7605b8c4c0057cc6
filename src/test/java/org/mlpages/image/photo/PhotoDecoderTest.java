package org.mlpages.image.photo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlpages.image.photo.PhotoRejectedException.Reason;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PhotoDecoderTest {

	private static final int RED = 0xFF0000;

	private static final int GREEN = 0x00FF00;

	private static final int BLUE = 0x0000FF;

	private static final int YELLOW = 0xFFFF00;

	private static final int WHITE = 0xFFFFFF;

	private final PhotoDecoder decoder = new PhotoDecoder(PhotoDecoder.DEFAULT_MAX_PIXELS);

	// ---- formats
	// -------------------------------------------------------------------------------------------------

	@Test
	void jpegWithExifOrientation6IsTurnedUpright() {
		DecodedPhoto photo = decoder.decode(Fixtures.photo("orientation6.jpg"));

		assertThat(photo.format()).isEqualTo("jpeg");
		assertThat(photo.exifOrientation()).isEqualTo(6);
		assertThat(photo.width()).isEqualTo(48);
		assertThat(photo.height()).isEqualTo(64);
		// stored 64x48 as red green / blue yellow; turned clockwise the blue quadrant
		// comes to the top left
		assertCorners(photo, 12, BLUE, RED, YELLOW, GREEN);
	}

	@ParameterizedTest(name = "orientation {0}")
	@CsvSource({
			// orientation, top-left, top-right, bottom-left, bottom-right of the stored
			// red/green/blue/yellow image
			"1, FF0000, 00FF00, 0000FF, FFFF00", "2, 00FF00, FF0000, FFFF00, 0000FF",
			"3, FFFF00, 0000FF, 00FF00, FF0000", "4, 0000FF, FFFF00, FF0000, 00FF00",
			"5, FF0000, 0000FF, 00FF00, FFFF00", "6, 0000FF, FF0000, FFFF00, 00FF00",
			"7, FFFF00, 00FF00, 0000FF, FF0000", "8, 00FF00, FFFF00, FF0000, 0000FF", })
	void everyExifOrientationIsApplied(int orientation, String tl, String tr, String bl, String br) throws IOException {
		byte[] jpeg = Fixtures.jpegWithExif(quadrantsJpeg(), Fixtures.exifOrientation(orientation));

		DecodedPhoto photo = decoder.decode(jpeg);

		assertThat(photo.exifOrientation()).isEqualTo(orientation);
		assertThat(photo.width()).isEqualTo(orientation >= 5 ? 48 : 64);
		assertThat(photo.height()).isEqualTo(orientation >= 5 ? 64 : 48);
		assertCorners(photo, 12, hex(tl), hex(tr), hex(bl), hex(br));
	}

	@Test
	void brokenOrOutOfRangeExifIsIgnored() throws IOException {
		byte[] garbage = { 'I', 'I', 42, 0, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, 0x7F, 1, 2, 3 };
		DecodedPhoto broken = decoder.decode(Fixtures.jpegWithExif(quadrantsJpeg(), garbage));
		DecodedPhoto nine = decoder.decode(Fixtures.jpegWithExif(quadrantsJpeg(), Fixtures.exifOrientation(9)));
		DecodedPhoto cut = decoder
			.decode(Fixtures.jpegWithExif(quadrantsJpeg(), Arrays.copyOf(Fixtures.exifOrientation(6), 13)));

		for (DecodedPhoto photo : List.of(broken, nine, cut)) {
			assertThat(photo.exifOrientation()).isEqualTo(1);
			assertThat(photo.width()).isEqualTo(64);
			assertCorners(photo, 12, RED, GREEN, BLUE, YELLOW);
		}
	}

	@Test
	void pngExifChunkOrientationIsApplied() throws IOException {
		byte[] png = Fixtures.pngWithChunksAfterHeader(quadrants("png"), "zTXt",
				new byte[] { 'C', 0, 0, 0x78, (byte) 0x9C, 1, 2, 3 }, "eXIf", Fixtures.exifOrientation(8));

		DecodedPhoto photo = decoder.decode(png);

		assertThat(photo.exifOrientation()).isEqualTo(8);
		assertCorners(photo, 0, GREEN, YELLOW, RED, BLUE);
	}

	@Test
	void pngTextChunksAreNeverInflated() throws IOException {
		// Reading PNG metadata inflates zTXt/iCCP, a decompression bomb in a few hundred
		// KB. An undecodable zTXt
		// shows that nothing inflates it: the JDK's reader would fail with "Error reading
		// PNG metadata".
		byte[] png = Fixtures.pngWithChunksAfterHeader(quadrants("png"), "zTXt",
				new byte[] { 'C', 'o', 'm', 'm', 'e', 'n', 't', 0, 0, 0x78, (byte) 0x9C, (byte) 0xFF, 1, 2 }, "iCCP",
				new byte[] { 'P', 0, 0, 0x78, (byte) 0x9C, (byte) 0xFF, 3, 4 });

		assertCorners(decoder.decode(png), 0, RED, GREEN, BLUE, YELLOW);
	}

	@Test
	void pngWithCompletePixelsButNoEndChunkDecodes() throws IOException {
		byte[] png = quadrants("png");
		// IEND is the last 12 bytes; everything the picture needs is still there
		assertCorners(decoder.decode(Fixtures.firstBytes(png, png.length - 12)), 0, RED, GREEN, BLUE, YELLOW);
	}

	@Test
	void embeddedColourProfileOfAnRgbJpegIsIgnoredLikePilAndTensorFlowDo() throws IOException {
		// linear-light RGB would turn stored 100 into about 170 in sRGB; the models were
		// trained on stored values
		byte[] profile = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_LINEAR_RGB).getData();
		byte[] jpeg = Fixtures.jpegWithIccProfile(flatJpeg(0x6496C8), profile);

		DecodedPhoto photo = decoder.decode(jpeg);

		assertColour(rgb(photo, 20, 15), 0x6496C8, 2);
	}

	@Test
	void cmykJpegIsConvertedToRgb() {
		// the JDK's own JPEG reader throws on CMYK; decoding at all shows TwelveMonkeys'
		// reader was picked
		DecodedPhoto photo = decoder.decode(Fixtures.photo("cmyk.jpg"));

		assertThat(photo.format()).isEqualTo("jpeg");
		assertThat(photo.width()).isEqualTo(64);
		// CMYK to RGB goes through a print profile, so colours are close, not exact
		assertCorners(photo, 40, RED, GREEN, BLUE, YELLOW);
	}

	@Test
	void progressiveJpeg() {
		DecodedPhoto photo = decoder.decode(Fixtures.photo("progressive.jpg"));
		assertThat(photo.width()).isEqualTo(64);
		assertCorners(photo, 12, RED, GREEN, BLUE, YELLOW);
	}

	@Test
	void greyscaleJpegBecomesGreyRgb() {
		DecodedPhoto photo = decoder.decode(Fixtures.photo("grey.jpg"));
		assertThat(photo.image().getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
		int top = rgb(photo, 20, 0);
		int bottom = rgb(photo, 20, 29);
		assertThat(isGrey(top)).isTrue();
		assertThat(isGrey(bottom)).isTrue();
		assertThat(top & 0xFF).isLessThan(20);
		assertThat(bottom & 0xFF).isGreaterThan(235);
	}

	@Test
	void greyscalePngKeepsItsLevelsExactly() {
		// Java2D would brighten grey 128 to ~187 by treating it as linear light; models
		// expect the stored value
		DecodedPhoto photo = decoder.decode(Fixtures.photo("grey.png"));
		assertThat(photo.format()).isEqualTo("png");
		assertAll(photo, 0x808080);
	}

	@Test
	void sixteenBitPngIsScaledToEightBits() {
		// stored (65535, 17185, 49407)
		assertAll(decoder.decode(Fixtures.photo("rgb16.png")), 0xFF43C0);
	}

	@Test
	void transparentPngIsFlattenedOntoWhite() {
		DecodedPhoto photo = decoder.decode(Fixtures.photo("transparent.png"));
		assertThat(rgb(photo, 0, 0)).isEqualTo(WHITE);
		assertThat(rgb(photo, 19, 29)).isEqualTo(WHITE);
		// red at alpha 128 over white: 255 * 127 / 255 of white added to the blue and
		// green channels
		assertColour(rgb(photo, 30, 15), 0xFF7F7F, 1);
	}

	@Test
	void greyPngWithAlpha() {
		DecodedPhoto photo = decoder.decode(Fixtures.photo("grey-alpha.png"));
		assertThat(rgb(photo, 5, 5)).isEqualTo(0x404040);
		assertThat(rgb(photo, 35, 5)).isEqualTo(WHITE);
	}

	@Test
	void palettePngWithTransparentEntry() {
		DecodedPhoto photo = decoder.decode(Fixtures.photo("palette-transparent.png"));
		assertThat(rgb(photo, 5, 5)).isEqualTo(GREEN);
		assertThat(rgb(photo, 35, 5)).isEqualTo(WHITE);
	}

	@Test
	void animatedGifGivesItsFirstFrame() {
		DecodedPhoto photo = decoder.decode(Fixtures.photo("animated.gif"));
		assertThat(photo.format()).isEqualTo("gif");
		assertAll(photo, RED);
	}

	@Test
	void bmp() {
		DecodedPhoto photo = decoder.decode(Fixtures.photo("image.bmp"));
		assertThat(photo.format()).isEqualTo("bmp");
		assertCorners(photo, 0, RED, GREEN, BLUE, YELLOW);
	}

	@Test
	void tiff() {
		DecodedPhoto photo = decoder.decode(Fixtures.photo("image.tiff"));
		assertThat(photo.format()).isEqualTo("tiff");
		assertThat(photo.exifOrientation()).isEqualTo(6);
		assertCorners(photo, 0, BLUE, RED, YELLOW, GREEN);
	}

	@Test
	void lossyWebp() {
		DecodedPhoto photo = decoder.decode(Fixtures.photo("lossy.webp"));
		assertThat(photo.format()).isEqualTo("webp");
		assertThat(photo.width()).isEqualTo(64);
		assertCorners(photo, 24, RED, GREEN, BLUE, YELLOW);
	}

	@Test
	void losslessWebpWithAlpha() {
		DecodedPhoto photo = decoder.decode(Fixtures.photo("lossless-alpha.webp"));
		assertThat(photo.format()).isEqualTo("webp");
		assertThat(rgb(photo, 0, 0)).isEqualTo(WHITE);
		assertColour(rgb(photo, 30, 15), 0xFF7F7F, 1);
	}

	@Test
	void formatComesFromTheContentNotTheName() {
		DecodedPhoto photo = decoder.decode(Fixtures.photo("webp-named.jpg"));
		assertThat(photo.format()).isEqualTo("webp");
		assertCorners(photo, 24, RED, GREEN, BLUE, YELLOW);
	}

	@Test
	void jpegWithDataAfterEoiStillDecodes() throws IOException {
		// e.g. the video of a "motion photo" or a maker trailer
		byte[] jpeg = quadrantsJpeg();
		byte[] trailer = new byte[4096];
		Arrays.fill(trailer, (byte) 0x5A);
		byte[] withTrailer = Arrays.copyOf(jpeg, jpeg.length + trailer.length);
		System.arraycopy(trailer, 0, withTrailer, jpeg.length, trailer.length);
		assertThat(decoder.decode(withTrailer).width()).isEqualTo(64);
	}

	@Test
	void decodesConcurrently() throws Exception {
		List<String> names = List.of("orientation6.jpg", "cmyk.jpg", "progressive.jpg", "grey.png", "rgb16.png",
				"transparent.png", "animated.gif", "image.bmp", "lossy.webp", "lossless-alpha.webp");
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Callable<int[]>> tasks = new java.util.ArrayList<>();
			for (int round = 0; round < 8; round++) {
				for (String name : names) {
					tasks.add(() -> pixels(decoder.decode(Fixtures.photo(name))));
				}
			}
			List<Future<int[]>> results = pool.invokeAll(tasks);
			for (int i = 0; i < results.size(); i++) {
				int[] expected = pixels(decoder.decode(Fixtures.photo(names.get(i % names.size()))));
				assertThat(results.get(i).get()).isEqualTo(expected);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	// ---- rejections
	// ----------------------------------------------------------------------------------------------

	@Test
	void emptyFile() {
		assertThat(rejected(Fixtures.photo("empty.bin")).reason()).isEqualTo(Reason.EMPTY);
		assertThat(rejected(null).reason()).isEqualTo(Reason.EMPTY);
	}

	@ParameterizedTest
	@ValueSource(strings = { "text.txt", "document.pdf" })
	void notAnImage(String name) {
		PhotoRejectedException e = rejected(Fixtures.photo(name));
		assertThat(e.reason()).isEqualTo(Reason.NOT_AN_IMAGE);
		assertThat(e.format()).isNull();
	}

	@Test
	void zipIsNotAnImageEvenWhenItHoldsOne() {
		assertThat(rejected(Fixtures.zip()).reason()).isEqualTo(Reason.NOT_AN_IMAGE);
	}

	@Test
	void textStartingLikeABitmapIsNotAnImage() {
		byte[] text = "BMW owners club: meeting on Tuesday".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		assertThat(rejected(text).reason()).isEqualTo(Reason.NOT_AN_IMAGE);
	}

	@ParameterizedTest
	@CsvSource({ "synthetic.heic, heic", "synthetic.avif, avif", "drawing.svg, svg" })
	void recognisedButUnsupported(String name, String format) {
		PhotoRejectedException e = rejected(Fixtures.photo(name));
		assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT);
		assertThat(e.format()).isEqualTo(format);
	}

	@Test
	void aLosslessWebpWhoseDataEndsLongBeforeItsPixelsIsRefusedAtOnce() {
		// TwelveMonkeys' reader took the missing data for zeros: minutes of decoding
		assertThatExceptionOfType(PhotoRejectedException.class)
			.isThrownBy(() -> decoder.decode(Fixtures.photo("endless-lossless.webp")))
			.satisfies(ex -> assertThat(ex.reason()).isEqualTo(PhotoRejectedException.Reason.CORRUPT))
			.withMessageContaining("reads past the end");
	}

	@Test
	void truncatedJpegIsCorruptThoughReadersWouldFillItWithGrey() {
		PhotoRejectedException e = rejected(Fixtures.photo("truncated.jpg"));
		assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
		assertThat(e.format()).isEqualTo("jpeg");
		assertThat(e.declaredWidth()).isEqualTo(193);
		assertThat(e.declaredHeight()).isEqualTo(196);
	}

	@ParameterizedTest
	@CsvSource({ "progressive.jpg, 2", "progressive.jpg, 10", "transparent.png, 2", "rgb16.png, 2", "animated.gif, 2",
			"image.bmp, 2", "image.bmp, 100", "lossy.webp, 2", "lossless-alpha.webp, 2", "lossless-alpha.webp, 12",
			"image.tiff, 2", })
	void truncatedFilesAreCorrupt(String name, int cut) {
		byte[] whole = Fixtures.photo(name);
		// cut given as a fraction: 2 = half, 10 = all but the last tenth
		int keep = cut == 2 ? whole.length / 2 : whole.length - whole.length / cut;
		PhotoRejectedException e = rejected(Fixtures.firstBytes(whole, keep));
		assertThat(e.reason()).as("%s cut to %d of %d bytes", name, keep, whole.length).isEqualTo(Reason.CORRUPT);
	}

	@Test
	void jpegWithTooManyScansIsRejectedBeforeDecoding() {
		// a progressive JPEG with its last scan repeated past the limit: each would cost
		// a pass over the image
		byte[] jpeg = Fixtures.photo("progressive.jpg");
		int lastScan = lastIndexOf(jpeg, 0xFF, 0xDA);
		byte[] scan = Arrays.copyOfRange(jpeg, lastScan, jpeg.length - 2);
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		out.write(jpeg, 0, jpeg.length - 2);
		for (int i = 0; i < JpegStructure.MAX_SCANS; i++) {
			out.writeBytes(scan);
		}
		out.writeBytes(new byte[] { (byte) 0xFF, (byte) 0xD9 });

		PhotoRejectedException e = rejected(out.toByteArray());
		assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
		assertThat(e.getMessage()).contains("scans");
	}

	@Test
	void headerOnlyIsCorrupt() {
		PhotoRejectedException e = rejected(Fixtures.pngHeader(40, 30));
		assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
		assertThat(e.declaredWidth()).isEqualTo(40);
	}

	@Test
	void hugePngHeaderIsRejectedBeforeDecoding() {
		byte[] png = Fixtures.pngHeader(30000, 30000);
		long start = System.nanoTime();
		PhotoRejectedException e = rejected(png);
		long ms = (System.nanoTime() - start) / 1_000_000;

		assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS);
		assertThat(e.format()).isEqualTo("png");
		assertThat(e.declaredWidth()).isEqualTo(30000);
		assertThat(e.declaredHeight()).isEqualTo(30000);
		// decoding would need 2.7 GB; a rejection from the header is a matter of
		// microseconds once warm
		assertThat(ms).isLessThan(500);
	}

	@Test
	void hugeJpegHeaderIsRejectedBeforeDecoding() throws IOException {
		PhotoRejectedException e = rejected(Fixtures.jpegWithDeclaredSize(quadrantsJpeg(), 65000, 65000));
		assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS);
		assertThat(e.declaredWidth()).isEqualTo(65000);
	}

	@Test
	void pixelLimitIsTheConstructorArgument() {
		byte[] jpeg = Fixtures.photo("orientation6.jpg");
		assertThat(new PhotoDecoder(64 * 48).decode(jpeg).width()).isEqualTo(48);

		PhotoRejectedException e = catchThrowableOfType(() -> new PhotoDecoder(64 * 48 - 1).decode(jpeg),
				PhotoRejectedException.class);
		assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS);
		// as the header declares it, before orientation
		assertThat(e.declaredWidth()).isEqualTo(64);
		assertThat(e.declaredHeight()).isEqualTo(48);
	}

	// ---- helpers
	// -------------------------------------------------------------------------------------------------

	private PhotoRejectedException rejected(byte[] bytes) {
		PhotoRejectedException e = catchThrowableOfType(() -> decoder.decode(bytes), PhotoRejectedException.class);
		assertThat(e).as("expected a rejection").isNotNull();
		assertThat(e.getMessage()).isNotBlank();
		return e;
	}

	private static byte[] flatJpeg(int rgb) throws IOException {
		BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < 30; y++) {
			for (int x = 0; x < 40; x++) {
				image.setRGB(x, y, rgb);
			}
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, "jpeg", out);
		return out.toByteArray();
	}

	private static byte[] quadrantsJpeg() throws IOException {
		return quadrants("jpeg");
	}

	/** 64x48, red green / blue yellow, written by the JDK without any EXIF. */
	private static byte[] quadrants(String format) throws IOException {
		BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < 48; y++) {
			for (int x = 0; x < 64; x++) {
				image.setRGB(x, y, y < 24 ? (x < 32 ? RED : GREEN) : (x < 32 ? BLUE : YELLOW));
			}
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, format, out);
		return out.toByteArray();
	}

	private static int lastIndexOf(byte[] bytes, int first, int second) {
		for (int i = bytes.length - 2; i >= 0; i--) {
			if ((bytes[i] & 0xFF) == first && (bytes[i + 1] & 0xFF) == second) {
				return i;
			}
		}
		throw new IllegalArgumentException("not found");
	}

	private static int rgb(DecodedPhoto photo, int x, int y) {
		return photo.image().getRGB(x, y) & WHITE;
	}

	private static int[] pixels(DecodedPhoto photo) {
		return photo.image().getRGB(0, 0, photo.width(), photo.height(), null, 0, photo.width());
	}

	private static int hex(String s) {
		return Integer.parseInt(s.trim(), 16);
	}

	private static boolean isGrey(int rgb) {
		return (rgb >> 16 & 0xFF) == (rgb & 0xFF) && (rgb >> 8 & 0xFF) == (rgb & 0xFF);
	}

	private static void assertAll(DecodedPhoto photo, int expected) {
		for (int p : pixels(photo)) {
			assertThat(Integer.toHexString(p & WHITE)).isEqualTo(Integer.toHexString(expected));
		}
	}

	/** Samples 3 pixels in from each corner, away from JPEG's blurred block edges. */
	private static void assertCorners(DecodedPhoto photo, int tolerance, int tl, int tr, int bl, int br) {
		int w = photo.width();
		int h = photo.height();
		assertColour(rgb(photo, 3, 3), tl, tolerance);
		assertColour(rgb(photo, w - 4, 3), tr, tolerance);
		assertColour(rgb(photo, 3, h - 4), bl, tolerance);
		assertColour(rgb(photo, w - 4, h - 4), br, tolerance);
	}

	private static void assertColour(int actual, int expected, int tolerance) {
		for (int shift = 0; shift <= 16; shift += 8) {
			int a = actual >> shift & 0xFF;
			int e = expected >> shift & 0xFF;
			assertThat(Math.abs(a - e)).as("%06x vs expected %06x", actual, expected).isLessThanOrEqualTo(tolerance);
		}
	}

}
