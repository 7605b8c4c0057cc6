package org.mlpages.image.photo;

import javax.imageio.stream.ImageInputStreamImpl;

/**
 * A photo's bytes as an ImageIO reader reads them, which stops a reader that keeps
 * reading past their end. TwelveMonkeys' lossless WebP decoder takes the end of its input
 * for zero bits and goes on decoding the size its header declares: a 46-byte file
 * declaring 8804 pixels across kept a core busy for minutes, one EOFException per byte
 * (found by PhotoDecoderFuzzTest). Past {@link #READS_PAST_THE_END} reads beyond the end,
 * a read throws {@link EndOfPhotoException}, which no reader catches as the end of its
 * input, and the photo is refused as damaged.
 */
final class PhotoBytesInput extends ImageInputStreamImpl {

	/** More than any reader's look-ahead at the end of a whole photo. */
	static final int READS_PAST_THE_END = 4096;

	private final byte[] bytes;

	private int readsPastTheEnd;

	PhotoBytesInput(byte[] bytes) {
		this.bytes = bytes;
	}

	@Override
	public int read() {
		bitOffset = 0;
		if (streamPos >= bytes.length) {
			return pastTheEnd();
		}
		return bytes[(int) streamPos++] & 0xff;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) {
		bitOffset = 0;
		if (length == 0) {
			return 0;
		}
		if (streamPos >= bytes.length) {
			return pastTheEnd();
		}
		int count = (int) Math.min(length, bytes.length - streamPos);
		System.arraycopy(bytes, (int) streamPos, buffer, offset, count);
		streamPos += count;
		return count;
	}

	@Override
	public long length() {
		return bytes.length;
	}

	private int pastTheEnd() {
		if (++readsPastTheEnd > READS_PAST_THE_END) {
			throw new EndOfPhotoException(readsPastTheEnd, bytes.length);
		}
		return -1;
	}

	/** A reader went on reading a photo long after its last byte. */
	static final class EndOfPhotoException extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		EndOfPhotoException(int reads, int length) {
			super(reads + " reads past the end of a " + length + "-byte photo: its data ends before its pixels do");
		}

	}

}
