package org.mlpages.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What every page that takes a model file does with it: copies it to disk counting what
 * arrives (not what was declared), and keeps its name only as far as it can be shown and
 * logged safely.
 */
public final class UploadedFile {

	private UploadedFile() {
	}

	/**
	 * @return the bytes copied
	 * @throws RuntimeException the one {@code tooLarge} gives, as soon as more than
	 * {@code max} bytes arrived
	 */
	public static long copyAtMost(InputStream in, Path target, long max, Supplier<? extends RuntimeException> tooLarge)
			throws IOException {
		byte[] buffer = new byte[1 << 16];
		long total = 0;
		try (OutputStream out = Files.newOutputStream(target)) {
			for (int n; (n = in.read(buffer)) > 0;) {
				total += n;
				if (total > max) {
					throw tooLarge.get();
				}
				out.write(buffer, 0, n);
			}
		}
		return total;
	}

	/**
	 * A file name as a browser sent it, reduced to its last part in letters, digits and
	 * {@code ._ -}, at most 100 characters; {@code fallback} when nothing is left.
	 */
	public static String safeName(String name, String fallback) {
		if (name == null) {
			return fallback;
		}
		String last = name.replace('\\', '/');
		last = last.substring(last.lastIndexOf('/') + 1).replaceAll("[^\\p{L}\\p{N}._ -]", "_");
		return last.length() > 100 ? last.substring(0, 100) : last.isBlank() ? fallback : last;
	}

}
