package org.mlpages.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.mlpages.keras.CacheDirectories;

/**
 * Makes ONNX Runtime load its native libraries from a cache directory, copied there once
 * from the class path. Left to itself, ONNX Runtime copies its 22 MB into a new temporary
 * directory at every start, which it does not delete when the process is killed (a server
 * stopped by the OOM killer or a crash fills {@code /tmp} restart after restart), and
 * which fails on a server whose {@code /tmp} is mounted {@code noexec}. (It still makes
 * an empty folder there at each start, deleted on a clean exit.)
 *
 * <p>
 * Call {@link #ensureExtracted(Path)} before the first {@link OnnxClassifier} is opened:
 * ONNX Runtime reads where its libraries are once, when it first loads.
 */
public final class OnnxRuntimeNatives {

	/** ONNX Runtime's own setting: the directory holding its libraries. */
	static final String PATH_PROPERTY = "onnxruntime.native.path";

	static final String RESOURCE_DIR = "ai/onnxruntime/native/linux-x64/";

	static final List<String> LIBRARIES = List.of("libonnxruntime.so", "libonnxruntime4j_jni.so");

	/**
	 * Written last into the directory: its presence and the sizes it lists prove a
	 * complete copy.
	 */
	static final String MARKER = "extracted.properties";

	private OnnxRuntimeNatives() {
	}

	/**
	 * Copies the libraries under {@code cacheRoot/onnxruntime-natives-<sizes>/} unless a
	 * complete copy is there, and points ONNX Runtime at that directory; a directory the
	 * operator set with {@code -Donnxruntime.native.path} is kept.
	 * @return the directory ONNX Runtime loads its libraries from; null off Linux x86-64,
	 * where ONNX Runtime is left to find its own
	 * @throws UncheckedIOException when the libraries are not on the class path or cannot
	 * be written
	 */
	public static synchronized Path ensureExtracted(Path cacheRoot) {
		String set = System.getProperty(PATH_PROPERTY);
		if (set != null) {
			return Path.of(set);
		}
		if (!isLinuxX64()) {
			// the app's jar holds the linux-x64 libraries only; elsewhere (a developer's
			// Mac, with the whole ONNX Runtime jar) ONNX Runtime finds its own
			return null;
		}
		try {
			Path dir = extract(cacheRoot.toAbsolutePath().normalize());
			System.setProperty(PATH_PROPERTY, dir.toString());
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot copy ONNX Runtime's native libraries into " + cacheRoot, ex);
		}
	}

	static boolean isLinuxX64() {
		String arch = System.getProperty("os.arch", "");
		return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux")
				&& (arch.equals("amd64") || arch.equals("x86_64"));
	}

	static Path extract(Path root) throws IOException {
		Properties sizes = resourceSizes();
		// keyed by the libraries' sizes: another ONNX Runtime gets a directory of its
		// own, and two versions of both libraries of the same sizes do not happen
		Path target = root.resolve("onnxruntime-natives-" + sizes.getProperty(LIBRARIES.get(0)) + "-"
				+ sizes.getProperty(LIBRARIES.get(1)));
		if (isComplete(target, sizes)) {
			return target;
		}
		Files.createDirectories(root);
		Path tmp = Files.createTempDirectory(root, ".onnxruntime-natives-");
		try {
			for (String lib : LIBRARIES) {
				try (InputStream in = resource(lib)) {
					Files.copy(in, tmp.resolve(lib));
				}
			}
			try (var out = Files.newOutputStream(tmp.resolve(MARKER))) {
				sizes.store(out, "ONNX Runtime's native libraries copied from the class path");
			}
			CacheDirectories.publish(tmp, target, dir -> isComplete(dir, sizes));
		}
		finally {
			CacheDirectories.deleteQuietly(tmp);
		}
		if (!isComplete(target, sizes)) {
			throw new IOException("the copied libraries are incomplete in " + target);
		}
		return target;
	}

	/** Each library's size as the class path holds it, read without copying it. */
	private static Properties resourceSizes() throws IOException {
		Properties sizes = new Properties();
		for (String lib : LIBRARIES) {
			var url = OnnxRuntimeNatives.class.getClassLoader().getResource(RESOURCE_DIR + lib);
			if (url == null) {
				throw new IOException(RESOURCE_DIR + lib + " is not on the class path (the app's jar holds the"
						+ " linux-x64 libraries only)");
			}
			long size = url.openConnection().getContentLengthLong();
			if (size < 0) {
				try (InputStream in = url.openStream()) {
					size = in.transferTo(java.io.OutputStream.nullOutputStream());
				}
			}
			sizes.setProperty(lib, Long.toString(size));
		}
		return sizes;
	}

	private static InputStream resource(String lib) throws IOException {
		InputStream in = OnnxRuntimeNatives.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + lib);
		if (in == null) {
			throw new IOException(RESOURCE_DIR + lib + " is not on the class path");
		}
		return in;
	}

	static boolean isComplete(Path dir, Properties sizes) {
		Path marker = dir.resolve(MARKER);
		if (!Files.isRegularFile(marker)) {
			return false;
		}
		try {
			for (String lib : LIBRARIES) {
				Path file = dir.resolve(lib);
				if (!Files.isRegularFile(file) || Files.size(file) != Long.parseLong(sizes.getProperty(lib))) {
					return false;
				}
			}
			return true;
		}
		catch (IOException | NumberFormatException ex) {
			return false;
		}
	}

}
