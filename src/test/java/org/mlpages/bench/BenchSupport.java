package org.mlpages.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.mlpages.image.ImageModel;
import org.mlpages.image.PhotoBatch;
import org.mlpages.image.photo.PhotoDecoder;
import org.mlpages.system.MlPagesProperties;

/**
 * What the benchmarks share: the shipped model loaded exactly as the app loads it, the photo they send, and the
 * machine's load to print beside every figure.
 *
 * <p>The model is loaded through the app's own {@code ImageModelLoader} (convert the .h5, load the SavedModel with
 * DJL, wrap it in the {@code PredictorPool} the app uses), so an in-process figure and an HTTP figure measure the same
 * code. That loader is package-private and this package may not add code to {@code org.mlpages.image}, so it is
 * reached by reflection.
 */
final class BenchSupport {

	/** The shipped model and its descriptor, as {@code java -jar} finds them. */
	static final Path MODELS = Path.of("models");

	static final String MODEL = "cat_dog_model";

	/** The photo every in-process and HTTP figure uses: 499x375, the same as {@code PhotoPipelineBenchmark}'s. */
	static final String PHOTO = "cdf_validation_dog.2005.jpg";

	static final Path PHOTOS = Path.of("src/test/resources/photos");

	private BenchSupport() {
	}

	/** Where the benchmarks keep the extracted natives and the converted model between runs. */
	static Path cacheDir() {
		return Path.of(System.getProperty("bench.cacheDir", "target/bench/cache"));
	}

	static byte[] photo(String name) {
		try {
			return Files.readAllBytes(PHOTOS.resolve(name));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The shipped model converted, loaded and pooled as the app does it, with the app's default pool size (one
	 * predictor per core, at least two).
	 */
	static ImageModel loadShippedModel() {
		MlPagesProperties properties = new MlPagesProperties(MODELS, Path.of("target/bench/uploads"), cacheDir(),
				new MlPagesProperties.Image(PhotoDecoder.DEFAULT_MAX_PIXELS, 0));
		try {
			Class<?> loaderClass = Class.forName("org.mlpages.image.ImageModelLoader");
			Constructor<?> constructor = loaderClass.getDeclaredConstructor(MlPagesProperties.class);
			constructor.setAccessible(true);
			Object loader = constructor.newInstance(properties);
			Method load = loaderClass.getDeclaredMethod("load", String.class, Path.class, Path.class);
			load.setAccessible(true);
			return (ImageModel) load.invoke(loader, MODEL, MODELS.resolve(MODEL + ".h5"), MODELS.resolve(MODEL + ".yml"));
		}
		catch (InvocationTargetException ex) {
			throw new IllegalStateException("the shipped model did not load", ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("ImageModelLoader changed shape; update BenchSupport", ex);
		}
	}

	/** The photo's tensor repeated {@code count} times: a batch of the same 224x224 input. */
	static PhotoBatch batchOf(ImageModel model, byte[] photo, int count) {
		float[] one = model.preprocessor().toTensor(new PhotoDecoder().decode(photo).image());
		float[] data = new float[one.length * count];
		for (int i = 0; i < count; i++) {
			System.arraycopy(one, 0, data, i * one.length, one.length);
		}
		var input = model.preprocessor().preprocessing();
		return new PhotoBatch(data, count, input.height(), input.width());
	}

	/** The 1, 5 and 15 minute load averages, as {@code uptime} prints them. */
	static String load() {
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return parts[0] + " " + parts[1] + " " + parts[2];
		}
		catch (IOException ex) {
			return "?";
		}
	}

	/** The 1-minute load average, or -1 when it cannot be read. */
	static double load1() {
		try {
			return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
		}
		catch (IOException | NumberFormatException ex) {
			return -1;
		}
	}

	/**
	 * CPU time all processes on the machine spent busy (user, nice, system, irq, softirq, steal) since boot, from
	 * /proc/stat, in nanoseconds. The difference over a measurement, less the benchmark's own processes, is what
	 * other work (another engineer's build) took from it.
	 */
	static long machineBusyNanos() {
		try {
			String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long ticks = 0;
			for (int i : new int[] { 1, 2, 3, 6, 7, 8 }) {
				ticks += Long.parseLong(f[i]);
			}
			return ticks * 10_000_000L;
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

	static String fmt(double value) {
		return String.format(Locale.ROOT, "%.2f", value);
	}

	static String fmt1(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

	static void deleteTree(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (var paths = Files.walk(dir)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
