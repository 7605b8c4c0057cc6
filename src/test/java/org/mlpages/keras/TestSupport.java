package org.mlpages.keras;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Shared test plumbing: natives extracted once per build under target/, fixtures from the
 * class path.
 */
final class TestSupport {

	/**
	 * Shared by all test classes so the 600 MB of libraries are copied once per build,
	 * not per test.
	 */
	static final Path NATIVES_ROOT = Path.of("target", "tf-natives");

	private TestSupport() {
	}

	static void loadNatives() {
		TensorFlowNatives.ensureLoaded(NATIVES_ROOT);
	}

	static Path fixture(String name) {
		try {
			return Path.of(TestSupport.class.getResource("/keras/" + name).toURI());
		}
		catch (URISyntaxException | NullPointerException e) {
			throw new IllegalStateException("Missing test fixture keras/" + name, e);
		}
	}

	static float[] readFloats(String resource, boolean gzip) {
		try (InputStream raw = TestSupport.class.getResourceAsStream("/keras/" + resource)) {
			if (raw == null) {
				throw new IllegalStateException("Missing test fixture keras/" + resource);
			}
			InputStream in = gzip ? new GZIPInputStream(raw) : raw;
			byte[] bytes = in.readAllBytes();
			float[] out = new float[bytes.length / 4];
			ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
			return out;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Runs a converted model on a NumPy batch as {@code verify} does. */
	static org.mlpages.keras.Npy.Array run(ImportedModel model, org.mlpages.keras.Npy.Array input) {
		try (var runner = new SavedModelRunner(model)) {
			return runner.run(input.shape(), input.floats());
		}
	}

	static double maxAbsDifference(org.mlpages.keras.Npy.Array actual, org.mlpages.keras.Npy.Array expected) {
		double max = 0;
		for (int i = 0; i < expected.values().length; i++) {
			max = Math.max(max, Math.abs(actual.values()[i] - expected.values()[i]));
		}
		return max;
	}

}
