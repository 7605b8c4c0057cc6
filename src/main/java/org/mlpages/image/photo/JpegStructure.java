package org.mlpages.image.photo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks a JPEG's marker segments: to see whether the file reaches its EOI marker, to
 * count its scans and to drop its colour profile.
 * <p>
 * Decoders fill the missing rest of a truncated JPEG with grey and at most warn, so a
 * photo cut off by a failed upload would otherwise be classified as if that grey were
 * real. Searching the last bytes for FF D9 is not enough: many cameras append data after
 * EOI (maker trailers, the video of a "motion photo"), and a cut can land right after an
 * FF D9 of an embedded thumbnail.
 */
final class JpegStructure {

	private static final int SOS = 0xDA;

	private static final int EOI = 0xD9;

	private static final byte[] ICC_PROFILE = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);

	/**
	 * Each progressive scan makes the decoder pass over the whole coefficient buffer, so
	 * a small file with thousands of near-empty scans costs minutes of CPU (the reason
	 * for libjpeg-turbo's scan limit). Encoders write about 10; a colour image cannot
	 * usefully have more than a few dozen.
	 */
	static final int MAX_SCANS = 100;

	/**
	 * What the walk found: whether EOI follows the image data, and how many scans came
	 * before it.
	 */
	record Summary(boolean complete, int scans) {
	}

	private JpegStructure() {
	}

	/**
	 * True when the image data is followed by an EOI marker. Expects {@code b} to start
	 * with SOI.
	 */
	static boolean hasEndOfImage(byte[] b) {
		return walk(b).complete();
	}

	/** Walks the file from SOI to EOI. Expects {@code b} to start with SOI. */
	static Summary walk(byte[] b) {
		int n = b.length;
		int scans = 0;
		int pos = 2;
		while (pos < n) {
			// tolerate junk between segments (libjpeg does, with a warning) by seeking
			// the next marker
			if ((b[pos] & 0xFF) != 0xFF) {
				pos++;
				continue;
			}
			while (pos < n && (b[pos] & 0xFF) == 0xFF) {
				pos++;
			}
			if (pos >= n) {
				return new Summary(false, scans);
			}
			int marker = b[pos++] & 0xFF;
			if (marker == EOI) {
				return new Summary(true, scans);
			}
			if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x00) {
				continue;
			}
			if (pos + 2 > n) {
				return new Summary(false, scans);
			}
			int length = (b[pos] & 0xFF) << 8 | (b[pos + 1] & 0xFF);
			if (length < 2) {
				return new Summary(false, scans);
			}
			pos += length;
			if (marker == SOS) {
				scans++;
				pos = skipEntropyCodedData(b, pos);
			}
		}
		return new Summary(false, scans);
	}

	/**
	 * A copy without the ICC_PROFILE (APP2) segments of a greyscale or colour JPEG, or
	 * {@code b} itself when there are none or the JPEG is CMYK/YCCK (whose conversion to
	 * RGB needs its profile).
	 * <p>
	 * TwelveMonkeys converts the pixels of a JPEG with a non-sRGB profile (Display P3
	 * from phones, Adobe RGB from cameras) to sRGB. PIL and tf.io.decode_jpeg, which fed
	 * the models in training, use the stored values as they are; without the profile
	 * TwelveMonkeys does the same.
	 */
	static byte[] withoutColourProfile(byte[] b) {
		int n = b.length;
		int pos = 2;
		int components = 0;
		List<int[]> profiles = new ArrayList<>();
		while (pos + 4 <= n && (b[pos] & 0xFF) == 0xFF) {
			int marker = b[pos + 1] & 0xFF;
			if (marker == SOS || marker == EOI || marker == 0xFF) {
				break;
			}
			if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
				pos += 2;
				continue;
			}
			int end = pos + 2 + ((b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF));
			if (end > n) {
				break;
			}
			if (marker == 0xE2 && startsWith(b, pos + 4, ICC_PROFILE)) {
				profiles.add(new int[] { pos, end });
			}
			else if (isStartOfFrame(marker) && pos + 9 < n) {
				components = b[pos + 9] & 0xFF;
			}
			pos = end;
		}
		if (profiles.isEmpty() || components == 4) {
			return b;
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream(n);
		int copied = 0;
		for (int[] segment : profiles) {
			out.write(b, copied, segment[0] - copied);
			copied = segment[1];
		}
		out.write(b, copied, n - copied);
		return out.toByteArray();
	}

	private static boolean isStartOfFrame(int marker) {
		return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
	}

	private static boolean startsWith(byte[] b, int offset, byte[] prefix) {
		if (offset + prefix.length > b.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if (b[offset + i] != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Returns the position of the FF that starts the next real marker, or
	 * {@code b.length} if there is none.
	 */
	private static int skipEntropyCodedData(byte[] b, int pos) {
		int n = b.length;
		while (pos + 1 < n) {
			if ((b[pos] & 0xFF) != 0xFF) {
				pos++;
				continue;
			}
			int next = b[pos + 1] & 0xFF;
			if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
				// byte stuffing and restart markers belong to the scan
				pos += 2;
			}
			else if (next == 0xFF) {
				pos++;
			}
			else {
				return pos;
			}
		}
		return n;
	}

}
