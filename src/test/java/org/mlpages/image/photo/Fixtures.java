package org.mlpages.image.photo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Reads the committed fixtures and builds the few that are easier to make in code. */
final class Fixtures {

	private Fixtures() {
	}

	static byte[] photo(String name) {
		try (InputStream in = Fixtures.class.getResourceAsStream("/photo/" + name)) {
			if (in == null) {
				throw new IllegalArgumentException("no fixture " + name);
			}
			return in.readAllBytes();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** One of the 22 reference photos. */
	static byte[] referencePhoto(String name) {
		try {
			return Files.readAllBytes(Path.of("src/test/resources/photos", name));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static byte[] firstBytes(byte[] bytes, int count) {
		return Arrays.copyOf(bytes, count);
	}

	/**
	 * A PNG signature and IHDR chunk (with a correct CRC) declaring the given size, then
	 * a token IDAT and IEND: all a reader needs to report the size, none of the pixels.
	 */
	static byte[] pngHeader(int width, int height) {
		ByteBuffer ihdr = ByteBuffer.allocate(13)
			.putInt(width)
			.putInt(height)
			.put((byte) 8)
			.put((byte) 2)
			.put((byte) 0)
			.put((byte) 0)
			.put((byte) 0);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
		chunk(out, "IHDR", ihdr.array());
		chunk(out, "IDAT", new byte[] { 0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 });
		chunk(out, "IEND", new byte[0]);
		return out.toByteArray();
	}

	/**
	 * Copies a PNG with extra chunks inserted right after IHDR (which always ends at byte
	 * 33).
	 */
	static byte[] pngWithChunksAfterHeader(byte[] png, Object... typesAndData) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(png, 0, 33);
		for (int i = 0; i < typesAndData.length; i += 2) {
			chunk(out, (String) typesAndData[i], (byte[]) typesAndData[i + 1]);
		}
		out.write(png, 33, png.length - 33);
		return out.toByteArray();
	}

	private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
		byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		CRC32 crc = new CRC32();
		crc.update(typeBytes);
		crc.update(data);
		out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
		out.writeBytes(typeBytes);
		out.writeBytes(data);
		out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

	/** Copies a JPEG with the size in its frame header (SOFn) replaced. */
	static byte[] jpegWithDeclaredSize(byte[] jpeg, int width, int height) {
		byte[] copy = jpeg.clone();
		int at = 2;
		while (at + 4 < copy.length) {
			int marker = copy[at + 1] & 0xFF;
			int length = (copy[at + 2] & 0xFF) << 8 | (copy[at + 3] & 0xFF);
			if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
				copy[at + 5] = (byte) (height >> 8);
				copy[at + 6] = (byte) height;
				copy[at + 7] = (byte) (width >> 8);
				copy[at + 8] = (byte) width;
				return copy;
			}
			at += 2 + length;
		}
		throw new IllegalArgumentException("no SOF segment");
	}

	/**
	 * Copies a JPEG with an APP1 segment inserted after SOI: "Exif\0\0" followed by
	 * {@code tiff}, placed first so that it is found whatever segments follow.
	 */
	static byte[] jpegWithExif(byte[] jpeg, byte[] tiff) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(0xFF);
		out.write(0xD8);
		int length = 2 + 6 + tiff.length;
		out.writeBytes(new byte[] { (byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length });
		out.writeBytes(new byte[] { 'E', 'x', 'i', 'f', 0, 0 });
		out.writeBytes(tiff);
		out.write(jpeg, 2, jpeg.length - 2);
		return out.toByteArray();
	}

	/**
	 * Copies a JPEG with an ICC profile (small enough for one APP2 segment) inserted
	 * after SOI.
	 */
	static byte[] jpegWithIccProfile(byte[] jpeg, byte[] profile) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(jpeg, 0, 2);
		byte[] magic = "ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		int length = 2 + magic.length + 2 + profile.length;
		out.writeBytes(new byte[] { (byte) 0xFF, (byte) 0xE2, (byte) (length >> 8), (byte) length });
		out.writeBytes(magic);
		out.writeBytes(new byte[] { 1, 1 });
		out.writeBytes(profile);
		out.write(jpeg, 2, jpeg.length - 2);
		return out.toByteArray();
	}

	/** A little-endian TIFF structure whose IFD0 holds only the Orientation tag. */
	static byte[] exifOrientation(int orientation) {
		return ByteBuffer.allocate(26)
			.order(java.nio.ByteOrder.LITTLE_ENDIAN)
			.put((byte) 'I')
			.put((byte) 'I')
			.putShort((short) 42)
			.putInt(8)
			.putShort((short) 1)
			.putShort((short) 0x0112)
			.putShort((short) 3)
			.putInt(1)
			.putShort((short) orientation)
			.putShort((short) 0)
			.putInt(0)
			.array();
	}

	static byte[] zip() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			zip.putNextEntry(new ZipEntry("photo.jpg"));
			zip.write(photo("progressive.jpg"));
			zip.closeEntry();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return bytes.toByteArray();
	}

}
