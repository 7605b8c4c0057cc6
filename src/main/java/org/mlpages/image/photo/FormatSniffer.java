package org.mlpages.image.photo;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Names a file's format from its first bytes. ImageIO alone cannot tell "not an image"
 * from "an image we cannot read" (it has no HEIC or SVG reader to claim them), and some
 * of its readers accept odd input too readily, so the signature decides which formats are
 * even offered to a reader.
 */
final class FormatSniffer {

	/**
	 * What the signature says. {@code supported} means a decoder here is expected to read
	 * it.
	 */
	record Sniffed(String format, boolean supported) {
	}

	static final Set<String> SUPPORTED = Set.of("jpeg", "png", "gif", "bmp", "webp", "tiff");

	private static final Set<String> HEIF_BRANDS = Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "hevm",
			"hevs", "mif1", "msf1", "mif2", "mif3");

	private static final Set<String> AVIF_BRANDS = Set.of("avif", "avis");

	private FormatSniffer() {
	}

	/** Returns {@code null} when the bytes look like no image format known here. */
	static Sniffed sniff(byte[] b) {
		if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
			return new Sniffed("jpeg", true);
		}
		if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
			return new Sniffed("png", true);
		}
		if (startsWith(b, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(b, 0, 'G', 'I', 'F', '8', '9', 'a')) {
			return new Sniffed("gif", true);
		}
		if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
			return new Sniffed("webp", true);
		}
		if (isBmp(b)) {
			return new Sniffed("bmp", true);
		}
		if (startsWith(b, 0, 'I', 'I', 42, 0) || startsWith(b, 0, 'M', 'M', 0, 42) || startsWith(b, 0, 'I', 'I', 43, 0)
				|| startsWith(b, 0, 'M', 'M', 0, 43)) {
			return new Sniffed("tiff", true);
		}
		String isoBrand = isoMediaImageBrand(b);
		if (isoBrand != null) {
			return new Sniffed(isoBrand, false);
		}
		if (startsWith(b, 0, 0xFF, 0x0A)
				|| startsWith(b, 0, 0, 0, 0, 0x0C, 'J', 'X', 'L', ' ', 0x0D, 0x0A, 0x87, 0x0A)) {
			return new Sniffed("jxl", false);
		}
		if (startsWith(b, 0, 0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, 0x87, 0x0A)
				|| startsWith(b, 0, 0xFF, 0x4F, 0xFF, 0x51)) {
			return new Sniffed("jpeg2000", false);
		}
		if (startsWith(b, 0, '8', 'B', 'P', 'S')) {
			return new Sniffed("psd", false);
		}
		if (startsWith(b, 0, 0, 0, 1, 0) && b.length > 6 && b[4] != 0 && b[5] == 0) {
			return new Sniffed("ico", false);
		}
		if (isSvg(b)) {
			return new Sniffed("svg", false);
		}
		return null;
	}

	private static boolean isBmp(byte[] b) {
		// "BM" alone starts plenty of text; also require a known DIB header size
		if (!startsWith(b, 0, 'B', 'M') || b.length < 18) {
			return false;
		}
		int dibHeaderSize = (b[14] & 0xFF) | (b[15] & 0xFF) << 8 | (b[16] & 0xFF) << 16 | (b[17] & 0xFF) << 24;
		return dibHeaderSize == 12 || dibHeaderSize == 16 || dibHeaderSize == 40 || dibHeaderSize == 52
				|| dibHeaderSize == 56 || dibHeaderSize == 64 || dibHeaderSize == 108 || dibHeaderSize == 124;
	}

	/**
	 * HEIF, HEIC and AVIF are ISO base media files like MP4; only their brands in the
	 * leading {@code ftyp} box set them apart from video, which stays "not an image".
	 */
	private static String isoMediaImageBrand(byte[] b) {
		if (b.length < 16 || !startsWith(b, 4, 'f', 't', 'y', 'p')) {
			return null;
		}
		long boxSize = (b[0] & 0xFFL) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
		int end = (int) Math.min(Math.max(boxSize, 16), Math.min(b.length, 4096));
		boolean heic = false;
		boolean heif = false;
		// major brand at 8, minor version at 12, compatible brands from 16
		for (int at = 8; at + 4 <= end; at += at == 8 ? 8 : 4) {
			String brand = new String(b, at, 4, StandardCharsets.ISO_8859_1);
			if (AVIF_BRANDS.contains(brand)) {
				return "avif";
			}
			if (HEIF_BRANDS.contains(brand)) {
				heic |= brand.startsWith("he");
				heif = true;
			}
		}
		return heic ? "heic" : heif ? "heif" : null;
	}

	private static boolean isSvg(byte[] b) {
		int n = Math.min(b.length, 4096);
		String head = new String(b, 0, n, StandardCharsets.ISO_8859_1);
		if (head.startsWith("\u00EF\u00BB\u00BF")) {
			head = head.substring(3);
		}
		head = head.stripLeading().toLowerCase(Locale.ROOT);
		if (head.startsWith("<svg")) {
			return true;
		}
		// XML prologue, comments or a doctype may precede the root element
		return (head.startsWith("<?xml") || head.startsWith("<!--") || head.startsWith("<!doctype svg"))
				&& head.contains("<svg");
	}

	private static boolean startsWith(byte[] b, int offset, int... expected) {
		if (b.length < offset + expected.length) {
			return false;
		}
		for (int i = 0; i < expected.length; i++) {
			if ((b[offset + i] & 0xFF) != expected[i]) {
				return false;
			}
		}
		return true;
	}

}
