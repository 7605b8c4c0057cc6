package org.mlpages.keras;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format versions 1 to 3) holding float32 or float64 arrays in
 * C order, the kind {@code np.save} writes for a batch of inputs or outputs. Values are
 * read into floats (float64 expected outputs are compared as they are, so they are kept
 * as doubles).
 */
public final class Npy {

	private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };

	private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");

	private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");

	private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

	/** An array: its shape and its values in C (row-major) order. */
	public record Array(long[] shape, double[] values) {
		public float[] floats() {
			float[] out = new float[values.length];
			for (int i = 0; i < out.length; i++) {
				out[i] = (float) values[i];
			}
			return out;
		}

		@Override
		public String toString() {
			return "Array" + Arrays.toString(shape);
		}
	}

	private Npy() {
	}

	public static Array read(Path file) throws IOException {
		byte[] bytes = Files.readAllBytes(file);
		ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
			throw new IOException(file + " is not a NumPy .npy file");
		}
		int major = bytes[6];
		buf.position(8);
		int headerLength = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
		if (headerLength < 0 || buf.position() + headerLength > bytes.length) {
			throw new IOException(file + " has a truncated .npy header");
		}
		String header = new String(bytes, buf.position(), headerLength,
				major >= 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
		int dataStart = buf.position() + headerLength;
		Matcher descr = DESCR.matcher(header);
		Matcher fortran = FORTRAN.matcher(header);
		Matcher shapeM = SHAPE.matcher(header);
		if (!descr.find() || !shapeM.find()) {
			throw new IOException(file + " has an unreadable .npy header: " + header.trim());
		}
		if (fortran.find() && "True".equals(fortran.group(1))) {
			throw new IOException(file + " is in Fortran order; save it with np.ascontiguousarray first");
		}
		List<Long> dims = new ArrayList<>();
		for (String d : shapeM.group(1).split(",")) {
			if (!d.isBlank()) {
				dims.add(Long.parseLong(d.trim()));
			}
		}
		long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
		long count = 1;
		for (long d : shape) {
			count *= d;
		}
		String type = descr.group(1);
		int width = switch (type) {
			case "<f4", "=f4" -> 4;
			case "<f8", "=f8" -> 8;
			default -> throw new IOException(file + " holds " + type + "; only little-endian float32 (<f4) and"
					+ " float64 (<f8) arrays are supported");
		};
		if (dataStart + count * width > bytes.length) {
			throw new IOException(file + " is truncated: " + count + " values of " + width + " bytes expected");
		}
		buf.position(dataStart);
		double[] values = new double[(int) count];
		for (int i = 0; i < values.length; i++) {
			values[i] = width == 4 ? buf.getFloat() : buf.getDouble();
		}
		return new Array(shape, values);
	}

	/** Writes a float32 array as format version 1.0. */
	public static void writeFloat32(Path file, long[] shape, float[] values) throws IOException {
		StringBuilder dims = new StringBuilder();
		for (long d : shape) {
			dims.append(d).append(", ");
		}
		if (shape.length > 1) {
			dims.setLength(dims.length() - 1);
		}
		String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.toString().trim() + "), }";
		// the header is padded with spaces and ends in a newline so the data starts at a
		// multiple of 64
		int total = MAGIC.length + 4 + dict.length() + 1;
		int padded = (total + 63) / 64 * 64;
		String header = dict + " ".repeat(padded - total) + "\n";
		ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + values.length * 4)
			.order(ByteOrder.LITTLE_ENDIAN);
		buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
		buf.put(header.getBytes(StandardCharsets.ISO_8859_1));
		for (float v : values) {
			buf.putFloat(v);
		}
		try (OutputStream out = Files.newOutputStream(file)) {
			out.write(buf.array());
		}
	}

}
