package org.mlpages.keras;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Makes the TensorFlow native libraries shipped in {@code tensorflow-core-native}
 * loadable without any download: DJL's engine and JavaCPP only look for them on the file
 * system, so they are copied once from the class path into a cache directory that is
 * keyed by the native jar's version.
 *
 * <p>
 * Call {@link #ensureLoaded(Path)} before anything touches DJL or {@code org.tensorflow}
 * classes.
 */
public final class TensorFlowNatives {

	static final String RESOURCE_DIR = "org/tensorflow/internal/c_api/linux-x86_64/";
	static final List<String> LIBRARIES = List.of("libjnitensorflow.so", "libtensorflow_cc.so.2",
			"libtensorflow_framework.so.2");

	private static final String POM_PROPERTIES = "META-INF/maven/org.tensorflow/tensorflow-core-native/pom.properties";

	/**
	 * Written last into the directory: its presence and the sizes it lists prove a
	 * complete copy.
	 */
	static final String MARKER = "extracted.properties";

	private static final ConcurrentMap<Path, Path> READY = new ConcurrentHashMap<>();

	private TensorFlowNatives() {
	}

	/**
	 * Extracts the libraries under {@code cacheRoot/tensorflow-natives-<version>/} unless
	 * a complete copy is there, and points DJL and JavaCPP at that directory.
	 * @return the directory holding the libraries
	 * @throws UncheckedIOException if the libraries cannot be found on the class path or
	 * written
	 */
	public static Path ensureLoaded(Path cacheRoot) {
		Path root = cacheRoot.toAbsolutePath().normalize();
		Path dir = READY.computeIfAbsent(root, r -> {
			try {
				return extract(r);
			}
			catch (IOException e) {
				throw new UncheckedIOException("Cannot extract TensorFlow native libraries into " + r, e);
			}
		});
		String path = dir.toString();
		// Set on every call, so a later cache root wins consistently; cheap and
		// idempotent.
		System.setProperty("TENSORFLOW_LIBRARY_PATH", path);
		System.setProperty("org.bytedeco.javacpp.platform.preloadpath", path);
		// Without it JavaCPP copies a second set of libraries to ~/.javacpp/cache and
		// maps both.
		System.setProperty("org.bytedeco.javacpp.pathsFirst", "true");
		return dir;
	}

	/**
	 * Read by DJL 0.36 ({@code JavacppUtils.getSessionConfig}) for every session it
	 * makes.
	 */
	static final String INTRA_OP_PROPERTY = "ai.djl.tensorflow.num_intraop_threads";

	static final String INTER_OP_PROPERTY = "ai.djl.tensorflow.num_interop_threads";

	/**
	 * Sets how many threads TensorFlow gives one op ({@code intraOp}) and independent ops
	 * ({@code interOp}) of a DJL session; 0 leaves the property as it is (TensorFlow's
	 * default, or what the operator passed with {@code -D}). TensorFlow sizes its
	 * intra-op pool once per process, from the first session or eager context that
	 * creates a CPU device, so this must run before DJL's TensorFlow engine starts; the
	 * engine is then started at once, before any other session (the importer's export)
	 * could fix the pool at its default size.
	 */
	public static void configureThreads(int intraOp, int interOp) {
		if (intraOp != 0) {
			System.setProperty(INTRA_OP_PROPERTY, Integer.toString(Math.max(1, intraOp)));
		}
		if (interOp != 0) {
			System.setProperty(INTER_OP_PROPERTY, Integer.toString(interOp));
		}
	}

	/** What DJL will configure: intra-op and inter-op threads, "default" when unset. */
	public static String threadSettings() {
		return "intra-op " + System.getProperty(INTRA_OP_PROPERTY, "default") + ", inter-op "
				+ System.getProperty(INTER_OP_PROPERTY, "default");
	}

	/**
	 * The version of the jar that holds the libraries. DJL's tensorflow-api jar carries a
	 * pom.properties under the same path (with the rc version of the Java classes), so
	 * the one that shares the libraries' jar is picked by its URL prefix.
	 */
	static String nativeVersion(ClassLoader loader) {
		URL lib = loader.getResource(RESOURCE_DIR + LIBRARIES.get(0));
		if (lib == null) {
			return "unknown";
		}
		String libUrl = lib.toString();
		String jarPrefix = libUrl.substring(0, libUrl.length() - (RESOURCE_DIR + LIBRARIES.get(0)).length());
		try {
			Enumeration<URL> candidates = loader.getResources(POM_PROPERTIES);
			while (candidates.hasMoreElements()) {
				URL url = candidates.nextElement();
				if (!url.toString().startsWith(jarPrefix)) {
					continue;
				}
				try (InputStream in = url.openStream()) {
					Properties p = new Properties();
					p.load(in);
					String v = p.getProperty("version");
					if (v != null && !v.isBlank()) {
						return v.trim();
					}
				}
			}
		}
		catch (IOException e) {
			// fall through: an unversioned directory still works, it is only shared
			// across upgrades
		}
		return "unknown";
	}

	private static Path extract(Path root) throws IOException {
		ClassLoader loader = classLoader();
		Path target = root.resolve("tensorflow-natives-" + nativeVersion(loader));
		if (isComplete(target)) {
			return target;
		}
		Files.createDirectories(root);
		Path tmp = Files.createTempDirectory(root, ".tensorflow-natives-");
		try {
			Properties sizes = new Properties();
			for (String lib : LIBRARIES) {
				try (InputStream in = loader.getResourceAsStream(RESOURCE_DIR + lib)) {
					if (in == null) {
						throw new IOException("Native library " + RESOURCE_DIR + lib
								+ " not on the class path (is tensorflow-core-native:linux-x86_64 a dependency?)");
					}
					long n = Files.copy(in, tmp.resolve(lib));
					sizes.setProperty(lib, Long.toString(n));
				}
			}
			try (var out = Files.newOutputStream(tmp.resolve(MARKER))) {
				sizes.store(out, "TensorFlow native libraries copied from the class path");
			}
			CacheDirectories.publish(tmp, target, TensorFlowNatives::isComplete);
		}
		finally {
			CacheDirectories.deleteQuietly(tmp);
		}
		if (!isComplete(target)) {
			throw new IOException("Extracted native libraries are incomplete in " + target);
		}
		return target;
	}

	static boolean isComplete(Path dir) {
		Path marker = dir.resolve(MARKER);
		if (!Files.isRegularFile(marker)) {
			return false;
		}
		try (InputStream in = Files.newInputStream(marker)) {
			Properties sizes = new Properties();
			sizes.load(in);
			for (String lib : LIBRARIES) {
				String expected = sizes.getProperty(lib);
				Path file = dir.resolve(lib);
				if (expected == null || !Files.isRegularFile(file) || Files.size(file) != Long.parseLong(expected)) {
					return false;
				}
			}
			return true;
		}
		catch (IOException | NumberFormatException e) {
			return false;
		}
	}

	private static ClassLoader classLoader() {
		// In a Spring Boot fat jar the nested jars are only visible through the
		// application class loader.
		ClassLoader cl = Thread.currentThread().getContextClassLoader();
		if (cl != null && cl.getResource(RESOURCE_DIR + LIBRARIES.get(0)) != null) {
			return cl;
		}
		return TensorFlowNatives.class.getClassLoader();
	}

}
