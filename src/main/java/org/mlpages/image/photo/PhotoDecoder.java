package org.mlpages.image.photo;

import org.mlpages.image.photo.PhotoRejectedException.Reason;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;

/**
 * Decodes uploaded photo bytes into their pixels and the EXIF turn that makes them
 * upright.
 * <p>
 * The format is taken from the content, never from a file name. The pixel limit is
 * checked against the header before any pixel memory is allocated. A photo of more pixels
 * than the decoding budget is decoded for a model at reduced resolution (see
 * {@link SourceSampling}), and no more pixels than the budget are decoded at once.
 * Thread-safe: every call uses its own ImageReader.
 */
public final class PhotoDecoder {

	/** The limit the application uses: 40 megapixels cover any phone camera. */
	public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

	static {
		// In a Spring Boot jar the plugins sit in nested jars; the thread that first
		// touches ImageIO may carry a
		// context class loader that cannot see them, so register them from the loader
		// that loaded this class.
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		try {
			thread.setContextClassLoader(PhotoDecoder.class.getClassLoader());
			ImageIO.scanForPlugins();
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	/**
	 * Pixels decoded at once, and up to which a photo is decoded whole. A decode holds
	 * the reader's raster, 3 bytes a pixel for 8-bit RGB to 8 for 16-bit RGBA (besides a
	 * few rows of its own), so all decoding at once holds at most 32 MB of heap for 4
	 * megapixels, whatever the number of photos and threads; the raster a decode returns,
	 * which a model's tensor is read from in place, is the caller's. Except a lossless
	 * WebP: its reader decodes every pixel whatever is asked, 4 bytes each (a
	 * 40-megapixel one needed 170-200 MB of heap on its own), so one over the budget
	 * takes the whole budget and decodes alone.
	 */
	public static final int DEFAULT_DECODING_BUDGET = 4_000_000;

	private final long maxPixels;

	private final int decodingBudget;

	/** Decoded pixels, {@link #decodingBudget} of them. */
	private final Semaphore decodingPixels;

	public PhotoDecoder(long maxPixels, int decodingBudget) {
		if (maxPixels <= 0) {
			throw new IllegalArgumentException("maxPixels must be positive: " + maxPixels);
		}
		if (decodingBudget <= 0) {
			throw new IllegalArgumentException("decodingBudget must be positive: " + decodingBudget);
		}
		this.maxPixels = maxPixels;
		this.decodingBudget = decodingBudget;
		this.decodingPixels = new Semaphore(decodingBudget, true);
	}

	public PhotoDecoder(long maxPixels) {
		this(maxPixels, DEFAULT_DECODING_BUDGET);
	}

	public PhotoDecoder() {
		this(DEFAULT_MAX_PIXELS);
	}

	public long maxPixels() {
		return maxPixels;
	}

	/**
	 * Decodes every pixel.
	 * @throws PhotoRejectedException when the bytes are empty, not an image, an
	 * unsupported or corrupt image, or larger than the pixel limit
	 */
	public DecodedPhoto decode(byte[] bytes) {
		return decode(bytes, null);
	}

	/**
	 * Decodes what the model's input needs: all of a photo within the budget, as
	 * {@link #decode(byte[])} does; of a larger one, the part the input's resize reads at
	 * reduced resolution. The photo's width and height stay those of the whole photo.
	 * @throws PhotoRejectedException as {@link #decode(byte[])} does
	 */
	public DecodedPhoto decodeFor(byte[] bytes, Preprocessing input) {
		if (input == null) {
			throw new IllegalArgumentException("input is required");
		}
		return decode(bytes, input);
	}

	private DecodedPhoto decode(byte[] bytes, Preprocessing input) {
		if (bytes == null || bytes.length == 0) {
			throw new PhotoRejectedException(Reason.EMPTY, "no bytes");
		}
		FormatSniffer.Sniffed sniffed = FormatSniffer.sniff(bytes);
		if (sniffed == null) {
			throw new PhotoRejectedException(Reason.NOT_AN_IMAGE,
					"no image signature in " + bytes.length + " bytes starting " + hexHead(bytes));
		}
		String format = sniffed.format();
		if (!sniffed.supported()) {
			throw new PhotoRejectedException(Reason.UNSUPPORTED_FORMAT, format + " is not supported", format,
					PhotoRejectedException.UNKNOWN, PhotoRejectedException.UNKNOWN, null);
		}

		byte[] pixelSource = "jpeg".equals(format) ? JpegStructure.withoutColourProfile(bytes) : bytes;
		int orientation = Orientation.read(bytes, format);
		Decoded decoded = decodePixels(pixelSource, format, orientation, input);
		boolean swap = orientation >= 5;
		return DecodedPhoto.asRead(decoded.image(), orientation, format, swap ? decoded.height() : decoded.width(),
				swap ? decoded.width() : decoded.height());
	}

	/** The pixels as read and the stored photo's size. */
	private record Decoded(BufferedImage image, int width, int height) {
	}

	private Decoded decodePixels(byte[] bytes, String format, int orientation, Preprocessing input) {
		int width = PhotoRejectedException.UNKNOWN;
		int height = PhotoRejectedException.UNKNOWN;
		try (ImageInputStream in = new PhotoBytesInput(bytes)) {
			ImageReader reader = readerFor(in, format);
			if (reader == null) {
				throw new PhotoRejectedException(Reason.UNSUPPORTED_FORMAT, "no ImageIO reader for " + format, format,
						width, height, null);
			}
			try {
				// The JDK's PNG reader inflates every zTXt/iTXt/iCCP chunk when reading
				// metadata: a PNG of a few hundred KB can cost it a GB of heap. It still
				// applies PLTE and tRNS when told to ignore metadata. The TIFF reader
				// then keeps only the tags it needs to decode. The other readers need
				// their metadata (GIF transparency, JPEG Adobe/ICC markers) and inflate
				// none of it.
				reader.setInput(in, true, "png".equals(format) || "tiff".equals(format));
				width = reader.getWidth(0);
				height = reader.getHeight(0);
				if (width <= 0 || height <= 0) {
					throw new PhotoRejectedException(Reason.CORRUPT,
							format + " header declares " + width + "x" + height, format, width, height, null);
				}
				if ((long) width * height > maxPixels) {
					throw new PhotoRejectedException(Reason.TOO_MANY_PIXELS,
							format + " of " + width + "x" + height + " exceeds " + maxPixels + " pixels", format, width,
							height, null);
				}
				checkStructure(bytes, format);
				SourceSampling sampling = SourceSampling.plan(width, height, orientation, input, decodingBudget);
				ImageReadParam param = reader.getDefaultReadParam();
				sampling.applyTo(param);
				long cost = isDecodedWhole(bytes, format) ? (long) width * height : sampling.pixels();
				int permits = (int) Math.min(cost, decodingBudget);
				acquire(permits);
				try {
					List<String> warnings = new ArrayList<>();
					reader.addIIOReadWarningListener(warningCollector(warnings));
					BufferedImage image = reader.read(0, param);
					checkDecoded(format, image, sampling.width(), sampling.height(), warnings);
					// Any other layout is converted here, within the decoding budget,
					// where a
					// conversion that fails (a colour profile Java2D refuses) is a
					// corrupt photo,
					// not a failure of the tensor later.
					return new Decoded(UprightPixels.readsInPlace(image) ? image : RgbConversion.toIntRgb(image), width,
							height);
				}
				finally {
					decodingPixels.release(permits);
				}
			}
			finally {
				reader.dispose();
			}
		}
		catch (PhotoRejectedException e) {
			throw e;
		}
		catch (IOException | RuntimeException e) {
			// readers report broken data in any form: IIOException, EOFException, index
			// errors, ...
			throw new PhotoRejectedException(Reason.CORRUPT,
					format + " could not be decoded: " + e.getClass().getSimpleName() + ": " + e.getMessage(), format,
					width, height, e);
		}
	}

	private void acquire(int permits) {
		try {
			decodingPixels.acquire(permits);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting to decode", ex);
		}
	}

	/**
	 * TwelveMonkeys' lossless WebP decoder (VP8L) fills a raster of the whole image
	 * before it subsamples (measured). A lossy WebP's alpha (ALPH) goes through the same
	 * decoder, so it is counted whole too (not measured).
	 */
	private static boolean isDecodedWhole(byte[] webp, String format) {
		if (!"webp".equals(format)) {
			return false;
		}
		long at = 12;
		while (at + 8 <= webp.length) {
			int i = (int) at;
			String chunk = new String(webp, i, 4, StandardCharsets.US_ASCII);
			if ("VP8L".equals(chunk) || "ALPH".equals(chunk)) {
				return true;
			}
			long size = (webp[i + 4] & 0xFFL) | (webp[i + 5] & 0xFFL) << 8 | (webp[i + 6] & 0xFFL) << 16
					| (webp[i + 7] & 0xFFL) << 24;
			at += 8 + size + (size & 1);
		}
		return false;
	}

	/**
	 * Cheap checks for truncation that a reader would not report, done before spending
	 * time on decoding.
	 */
	private static void checkStructure(byte[] bytes, String format) throws IIOException {
		if ("webp".equals(format)) {
			// the lossless decoder can run out of data without noticing; the RIFF header
			// states the full length
			long riffSize = (bytes[4] & 0xFFL) | (bytes[5] & 0xFFL) << 8 | (bytes[6] & 0xFFL) << 16
					| (bytes[7] & 0xFFL) << 24;
			if (bytes.length < riffSize + 8) {
				throw new IIOException("WebP data ends after " + bytes.length + " of " + (riffSize + 8) + " bytes");
			}
		}
		else if ("jpeg".equals(format)) {
			JpegStructure.Summary jpeg = JpegStructure.walk(bytes);
			if (!jpeg.complete()) {
				throw new IIOException("JPEG data ends before its EOI marker (truncated)");
			}
			if (jpeg.scans() > JpegStructure.MAX_SCANS) {
				throw new IIOException("JPEG has " + jpeg.scans() + " scans, more than " + JpegStructure.MAX_SCANS);
			}
		}
	}

	/**
	 * JPEG readers fill missing or undecodable rows with grey and merely warn. The EOI
	 * check catches files cut short; these warnings also catch scans that end early
	 * inside a file that still has its EOI.
	 */
	private static void checkDecoded(String format, BufferedImage image, int width, int height, List<String> warnings)
			throws IIOException {
		if (image == null || image.getWidth() != width || image.getHeight() != height) {
			throw new IIOException("decoded size differs from the expected " + width + "x" + height);
		}
		if ("jpeg".equals(format)) {
			for (String warning : warnings) {
				String w = warning.toLowerCase(Locale.ROOT);
				if (w.contains("truncated") || w.contains("premature end") || w.contains("missing eoi")) {
					throw new IIOException("JPEG reader warning: " + warning);
				}
			}
		}
	}

	private static IIOReadWarningListener warningCollector(List<String> warnings) {
		return (source, warning) -> warnings.add(warning);
	}

	/**
	 * Picks among the readers that claim the content the one for the sniffed format,
	 * preferring TwelveMonkeys': its JPEG reader converts CMYK/YCCK and survives broken
	 * ICC profiles where the JDK's fails.
	 */
	private static ImageReader readerFor(ImageInputStream in, String format) {
		ImageReader chosen = null;
		Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
		while (readers.hasNext()) {
			ImageReader candidate = readers.next();
			if (handles(candidate.getOriginatingProvider(), format)
					&& (chosen == null || (isTwelveMonkeys(candidate) && !isTwelveMonkeys(chosen)))) {
				if (chosen != null) {
					chosen.dispose();
				}
				chosen = candidate;
			}
			else {
				candidate.dispose();
			}
		}
		return chosen;
	}

	private static boolean handles(ImageReaderSpi spi, String format) {
		if (spi == null) {
			return false;
		}
		for (String name : spi.getFormatNames()) {
			String n = name.toLowerCase(Locale.ROOT);
			if (n.equals(format) || ("jpeg".equals(format) && n.equals("jpg"))
					|| ("tiff".equals(format) && n.equals("tif"))) {
				return true;
			}
		}
		return false;
	}

	private static boolean isTwelveMonkeys(ImageReader reader) {
		return reader.getClass().getName().startsWith("com.twelvemonkeys.");
	}

	private static String hexHead(byte[] bytes) {
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < Math.min(8, bytes.length); i++) {
			sb.append(String.format("%02x", bytes[i] & 0xFF));
		}
		return sb.toString();
	}

}
