package org.mlpages.image.photo;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class JpegStructureTest {

	private static final byte[] SOI = { (byte) 0xFF, (byte) 0xD8 };

	private static final byte[] EOI = { (byte) 0xFF, (byte) 0xD9 };

	@Test
	void completeFileWithStuffingRestartsAndFillBytes() {
		byte[] jpeg = concat(SOI, segment(0xE0, 16), segment(0xDA, 10),
				bytes(0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF, 0xD1, 0x78), EOI);
		assertThat(JpegStructure.hasEndOfImage(jpeg)).isTrue();
	}

	@Test
	void progressiveScansSeparatedByTables() {
		byte[] jpeg = concat(SOI, segment(0xDA, 10), bytes(1, 2, 3), segment(0xC4, 20), segment(0xDA, 10),
				bytes(4, 5, 6), EOI);
		assertThat(JpegStructure.hasEndOfImage(jpeg)).isTrue();
		assertThat(JpegStructure.hasEndOfImage(java.util.Arrays.copyOf(jpeg, jpeg.length - 2))).isFalse();
	}

	@Test
	void endMarkerOfAThumbnailInsideExifDoesNotCount() {
		byte[] thumbnail = concat(SOI, bytes(9, 9, 9), EOI);
		byte[] app1 = concat(bytes(0xFF, 0xE1, 0, thumbnail.length + 2), thumbnail);
		byte[] cut = concat(SOI, app1, segment(0xDA, 10), bytes(1, 2, 3, 4));
		assertThat(JpegStructure.hasEndOfImage(cut)).isFalse();
	}

	@Test
	void cutInsideASegmentHeader() {
		assertThat(JpegStructure.hasEndOfImage(concat(SOI, bytes(0xFF, 0xE0, 0)))).isFalse();
		assertThat(JpegStructure.hasEndOfImage(concat(SOI, bytes(0xFF)))).isFalse();
		assertThat(JpegStructure.hasEndOfImage(SOI)).isFalse();
	}

	@Test
	void trailingDataAfterTheEndIsFine() {
		byte[] jpeg = concat(SOI, segment(0xDA, 10), bytes(1, 2), EOI, bytes(0, 0, 0, 0x18, 'f', 't', 'y', 'p'));
		assertThat(JpegStructure.hasEndOfImage(jpeg)).isTrue();
	}

	@Test
	void countsScans() {
		byte[] jpeg = concat(SOI, segment(0xDA, 10), bytes(1), segment(0xDA, 10), bytes(2), segment(0xDA, 10), EOI);
		assertThat(JpegStructure.walk(jpeg)).isEqualTo(new JpegStructure.Summary(true, 3));
	}

	@Test
	void dropsColourProfilesOfRgbButNotOfCmyk() {
		byte[] icc = concat(bytes(0xFF, 0xE2, 0, 2 + 12 + 2 + 3), "ICC_PROFILE".getBytes(), bytes(0, 1, 1, 7, 7, 7));
		byte[] rgb = concat(SOI, segment(0xE0, 16), icc, sof(3), segment(0xDA, 10), bytes(1, 2), EOI);
		byte[] cmyk = concat(SOI, icc, sof(4), segment(0xDA, 10), bytes(1, 2), EOI);

		assertThat(JpegStructure.withoutColourProfile(rgb))
			.isEqualTo(concat(SOI, segment(0xE0, 16), sof(3), segment(0xDA, 10), bytes(1, 2), EOI));
		assertThat(JpegStructure.withoutColourProfile(cmyk)).isSameAs(cmyk);
		byte[] plain = concat(SOI, sof(3), segment(0xDA, 10), bytes(1), EOI);
		assertThat(JpegStructure.withoutColourProfile(plain)).isSameAs(plain);
	}

	/** A baseline frame header: 8-bit, 16x16, with the given number of components. */
	private static byte[] sof(int components) {
		byte[] header = concat(bytes(0xFF, 0xC0, 0, 8 + 3 * components, 8, 0, 16, 0, 16, components));
		for (int i = 0; i < components; i++) {
			header = concat(header, bytes(i + 1, 0x11, 0));
		}
		return header;
	}

	/**
	 * A marker segment whose payload bytes contain FF D9, which must be skipped by its
	 * length.
	 */
	private static byte[] segment(int marker, int length) {
		byte[] s = new byte[2 + length];
		s[0] = (byte) 0xFF;
		s[1] = (byte) marker;
		s[2] = (byte) (length >> 8);
		s[3] = (byte) length;
		for (int i = 4; i < s.length; i++) {
			s[i] = (byte) (i % 2 == 0 ? 0xFF : 0xD9);
		}
		return s;
	}

	private static byte[] bytes(int... values) {
		byte[] b = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			b[i] = (byte) values[i];
		}
		return b;
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

}
