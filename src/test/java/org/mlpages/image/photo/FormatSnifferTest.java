package org.mlpages.image.photo;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FormatSnifferTest {

	@Test
	void heifBrandsMayComeAsMajorOrCompatibleBrand() {
		assertThat(FormatSniffer.sniff(ftyp("mif1", "mif1", "heic"))).isEqualTo(unsupported("heic"));
		assertThat(FormatSniffer.sniff(ftyp("mif1", "mif1", "miaf"))).isEqualTo(unsupported("heif"));
		assertThat(FormatSniffer.sniff(ftyp("mif1", "avif", "mif1"))).isEqualTo(unsupported("avif"));
	}

	@Test
	void mp4VideoIsNoImage() {
		assertThat(FormatSniffer.sniff(ftyp("isom", "isom", "mp41"))).isNull();
	}

	@Test
	void svgAfterBomCommentsOrDoctype() {
		byte[] withBom = new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '<', 's', 'v', 'g', '/', '>' };
		assertThat(FormatSniffer.sniff(withBom)).isEqualTo(unsupported("svg"));
		assertThat(FormatSniffer.sniff(ascii("<!-- made by hand -->\n<svg/>"))).isEqualTo(unsupported("svg"));
		assertThat(FormatSniffer.sniff(ascii("<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\"><svg/>")))
			.isEqualTo(unsupported("svg"));
		assertThat(FormatSniffer.sniff(ascii("<?xml version=\"1.0\"?><html/>"))).isNull();
		assertThat(FormatSniffer.sniff(ascii("<html><body><svg/></body></html>"))).isNull();
	}

	@Test
	void otherRecognisedImageFormats() {
		assertThat(FormatSniffer.sniff(new byte[] { (byte) 0xFF, 0x0A, 1, 2 })).isEqualTo(unsupported("jxl"));
		assertThat(FormatSniffer.sniff(ascii("8BPS\u0000\u0001"))).isEqualTo(unsupported("psd"));
		assertThat(FormatSniffer.sniff(new byte[] { 'I', 'I', 42, 0, 8, 0, 0, 0 }))
			.isEqualTo(new FormatSniffer.Sniffed("tiff", true));
	}

	@Test
	void tooShortForAnySignature() {
		assertThat(FormatSniffer.sniff(new byte[] { (byte) 0xFF })).isNull();
		assertThat(FormatSniffer.sniff(new byte[] { (byte) 0xFF, (byte) 0xD8 })).isNull();
		assertThat(FormatSniffer.sniff(ascii("BM"))).isNull();
		assertThat(FormatSniffer.sniff(ascii("RIFF\u0000\u0000\u0000\u0000WEB"))).isNull();
	}

	private static FormatSniffer.Sniffed unsupported(String format) {
		return new FormatSniffer.Sniffed(format, false);
	}

	private static byte[] ascii(String s) {
		return s.getBytes(StandardCharsets.ISO_8859_1);
	}

	private static byte[] ftyp(String major, String... compatible) {
		int size = 16 + 4 * compatible.length;
		StringBuilder sb = new StringBuilder();
		sb.append((char) 0)
			.append((char) 0)
			.append((char) 0)
			.append((char) size)
			.append("ftyp")
			.append(major)
			.append("\u0000\u0000\u0000\u0000");
		for (String brand : compatible) {
			sb.append(brand);
		}
		return ascii(sb.toString());
	}

}
