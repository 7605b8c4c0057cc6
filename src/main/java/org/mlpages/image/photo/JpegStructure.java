package org.mlpages.image.photo;

/**
 * Walks a JPEG's marker segments and entropy-coded data to see whether the file reaches its EOI marker.
 * <p>
 * Decoders fill the missing rest of a truncated JPEG with grey and at most warn, so a photo cut off by a failed
 * upload would otherwise be classified as if that grey were real. Searching the last bytes for FF D9 is not enough:
 * many cameras append data after EOI (maker trailers, the video of a "motion photo"), and a cut can land right after
 * an FF D9 of an embedded thumbnail.
 */
final class JpegStructure {

    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;

    /**
     * Each progressive scan makes the decoder pass over the whole coefficient buffer, so a small file with
     * thousands of near-empty scans costs minutes of CPU (the reason for libjpeg-turbo's scan limit). Encoders write
     * about 10; a colour image cannot usefully have more than a few dozen.
     */
    static final int MAX_SCANS = 100;

    /** What the walk found: whether EOI follows the image data, and how many scans came before it. */
    record Summary(boolean complete, int scans) {
    }

    private JpegStructure() {
    }

    /** True when the image data is followed by an EOI marker. Expects {@code b} to start with SOI. */
    static boolean hasEndOfImage(byte[] b) {
        return walk(b).complete();
    }

    /** Walks the file from SOI to EOI. Expects {@code b} to start with SOI. */
    static Summary walk(byte[] b) {
        int n = b.length;
        int scans = 0;
        int pos = 2;
        while (pos < n) {
            // tolerate junk between segments (libjpeg does, with a warning) by seeking the next marker
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

    /** Returns the position of the FF that starts the next real marker, or {@code b.length} if there is none. */
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
            } else if (next == 0xFF) {
                pos++;
            } else {
                return pos;
            }
        }
        return n;
    }
}
