package org.mlpages.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mlpages.image.ImageModel;
import org.mlpages.image.PhotoBatch;
import org.mlpages.image.photo.PhotoDecoder;
import org.mlpages.image.photo.PhotoSizeCheck;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.system.TestProperties;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What the benchmarks share: the shipped model loaded exactly as the app loads it, the
 * photo they send, and the machine's load to print beside every figure.
 *
 * <p>
 * The model is loaded through the app's own {@code ImageModelLoader} (convert the .h5,
 * load the SavedModel with DJL, wrap it in the {@code PredictorPool} the app uses), so an
 * in-process figure and an HTTP figure measure the same code. That loader is
 * package-private and this package may not add code to {@code org.mlpages.image}, so it
 * is reached by reflection.
 */
public final class BenchSupport {

	/** The shipped model and its descriptor, as {@code java -jar} finds them. */
	static final Path MODELS = Path.of("models");

	static final String MODEL = "cat_dog_model";

	/**
	 * The photo every in-process and HTTP figure uses: 499x375, the same as
	 * {@code PhotoPipelineBenchmark}'s.
	 */
	static final String PHOTO = "cdf_validation_dog.2005.jpg";

	static final Path PHOTOS = Path.of("src/test/resources/photos");

	private BenchSupport() {
	}

	/**
	 * Where the benchmarks keep the extracted natives and the converted model between
	 * runs.
	 */
	/**
	 * Prints a benchmark's Markdown table and writes it to the file named by
	 * {@code bench.out}, if any (the bench scripts collect it from there).
	 */
	/**
	 * Runs one JMH class in a fork of its own, with the system properties
	 * {@code bench.seconds} (per iteration, 1), {@code bench.iterations} (5) and
	 * {@code bench.warmup} (3).
	 * @return by benchmark method, its score and the score's error (99.9 %)
	 */
	public static Map<String, double[]> jmh(Class<?> benchmarks) throws RunnerException {
		int seconds = Integer.getInteger("bench.seconds", 1);
		Map<String, double[]> scores = new LinkedHashMap<>();
		for (RunResult result : new Runner(new OptionsBuilder().include(benchmarks.getName())
			.warmupIterations(Integer.getInteger("bench.warmup", 3))
			.warmupTime(TimeValue.seconds(seconds))
			.measurementIterations(Integer.getInteger("bench.iterations", 5))
			.measurementTime(TimeValue.seconds(seconds))
			.forks(1)
			.jvmArgsAppend("-Xmx512m")
			.build()).run()) {
			String name = result.getParams().getBenchmark();
			scores.put(name.substring(name.lastIndexOf('.') + 1),
					new double[] { result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError() });
		}
		return scores;
	}

	public static void report(String table) throws java.io.IOException {
		System.out.println();
		System.out.println(table);
		String out = System.getProperty("bench.out");
		if (out != null) {
			Path file = Path.of(out);
			java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
			java.nio.file.Files.writeString(file, table);
		}
	}

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
	 * The shipped model converted, loaded and pooled as the app does it, with the app's
	 * default pool size (one predictor per core, at least two).
	 */
	static ImageModel loadShippedModel() {
		return loadShippedModel(MODEL, 0);
	}

	/**
	 * One of the shipped models ({@code cat_dog_model}, {@code cats_vs_dogs}) with
	 * {@code poolSize} predictors (0: the app's default).
	 */
	static ImageModel loadShippedModel(String name, int poolSize) {
		MlPagesProperties properties = new MlPagesProperties(MODELS, Path.of("target/bench/uploads"),
				Path.of("target/bench/data"), cacheDir(), TestProperties.upload(),
				// the app's defaults unless a thread-settings run overrides them
				new MlPagesProperties.Image(PhotoDecoder.DEFAULT_MAX_PIXELS, PhotoSizeCheck.DEFAULT_MIN_SIDE, poolSize,
						Integer.getInteger("bench.intraOpThreads", 1), Integer.getInteger("bench.interOpThreads", 0),
						false, Duration.ofSeconds(10),
						new MlPagesProperties.Batching(Integer.getInteger("bench.batchMaxSize", 8),
								Duration.ofMillis(Long.getLong("bench.batchMaxWaitMs", 3))),
						TestProperties.inMemory(), TestProperties.queue()));
		try {
			Class<?> loaderClass = Class.forName("org.mlpages.image.ImageModelLoader");
			Constructor<?> constructor = loaderClass.getDeclaredConstructor(MlPagesProperties.class);
			constructor.setAccessible(true);
			Object loader = constructor.newInstance(properties);
			Method load = loaderClass.getDeclaredMethod("load", String.class, Path.class, Path.class);
			load.setAccessible(true);
			return (ImageModel) load.invoke(loader, name, MODELS.resolve(name + ".h5"), MODELS.resolve(name + ".yml"));
		}
		catch (InvocationTargetException ex) {
			throw new IllegalStateException("the shipped model did not load", ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("ImageModelLoader changed shape; update BenchSupport", ex);
		}
	}

	/**
	 * The photo's tensor repeated {@code count} times: a batch of the same 224x224 input.
	 */
	static PhotoBatch batchOf(ImageModel model, byte[] photo, int count) {
		float[] one = model.preprocessor().toTensor(new PhotoDecoder().decode(photo));
		var input = model.preprocessor().preprocessing();
		return new PhotoBatch(Collections.nCopies(count, one), input.height(), input.width(), 3);
	}

	/** The 1, 5 and 15 minute load averages, as {@code uptime} prints them. */
	public static String load() {
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
	 * CPU time all processes on the machine spent busy (user, nice, system, irq, softirq,
	 * steal) since boot, from /proc/stat, in nanoseconds. The difference over a
	 * measurement, less the benchmark's own processes, is what other work (another
	 * engineer's build) took from it.
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

	/**
	 * CPU time of this JVM and all its descendants (JMH forks, the app), from /proc, in
	 * nanoseconds.
	 */
	static long ownTreeCpuNanos() {
		long total = processCpuNanos(ProcessHandle.current().pid());
		for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
			total += processCpuNanos(child.pid());
		}
		return total;
	}

	/** The CPU time this JVM has used, in nanoseconds (0 where the JVM cannot say). */
	static long ownCpuNanos() {
		if (java.lang.management.ManagementFactory
			.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return 0;
	}

	/** The median, NaN for no values. */
	static double median(double[] values) {
		double[] sorted = values.clone();
		java.util.Arrays.sort(sorted);
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int mid = sorted.length / 2;
		return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
	}

	/**
	 * utime + stime of one process from /proc, in nanoseconds (USER_HZ is 100 on Linux).
	 */
	static long processCpuNanos(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

	/**
	 * Measures how much CPU processes other than this JVM and its descendants (JMH forks,
	 * the app) took while it was open: the machine's busy time less our own, as a % of
	 * one core (200 = both cores of this machine busy with someone else's work). Our
	 * processes are sampled every 200 ms, so one that exits between samples loses at most
	 * that much of its CPU time, which only overstates the others.
	 */
	static final class OthersCpu implements AutoCloseable {

		private final long machineStart = machineBusyNanos();

		private final long start = System.nanoTime();

		private final Map<Long, long[]> ours = new java.util.concurrent.ConcurrentHashMap<>();

		private final Thread sampler;

		private volatile boolean open = true;

		private boolean started;

		OthersCpu() {
			sample();
			started = true;
			sampler = new Thread(() -> {
				while (open) {
					try {
						Thread.sleep(200);
					}
					catch (InterruptedException ex) {
						return;
					}
					sample();
				}
			}, "others-cpu-sampler");
			sampler.setDaemon(true);
			sampler.start();
		}

		private synchronized void sample() {
			List<ProcessHandle> processes = new java.util.ArrayList<>();
			processes.add(ProcessHandle.current());
			processes.addAll(ProcessHandle.current().descendants().toList());
			for (ProcessHandle process : processes) {
				long cpu = processCpuNanos(process.pid());
				if (cpu > 0) {
					// {first seen, last seen}
					// a process that appeared after the start counts from 0
					ours.computeIfAbsent(process.pid(), pid -> new long[] { started ? 0 : cpu, cpu })[1] = cpu;
				}
			}
		}

		/** CPU of others so far, % of one core. */
		double percent() {
			sample();
			double seconds = (System.nanoTime() - start) / 1e9;
			long own = ours.values().stream().mapToLong(v -> v[1] - v[0]).sum();
			long others = (machineBusyNanos() - machineStart) - own;
			return Math.max(0, others / 1e9 / seconds * 100);
		}

		@Override
		public void close() {
			open = false;
			sampler.interrupt();
		}

	}

	/**
	 * Above this much CPU taken by others (% of one core) during a measurement, its
	 * figure is marked for a rerun.
	 */
	static final double CONTENDED_PCT = 25;

	/**
	 * How many times a contended measurement is repeated (system property
	 * {@code bench.retries}, default 2).
	 */
	static int retries() {
		return Integer.getInteger("bench.retries", 2);
	}

	/**
	 * Waits until other processes used less than {@link #CONTENDED_PCT} of a core over 3
	 * seconds, at most {@code bench.quietWaitSeconds} (default 120) seconds, so that a
	 * measurement starts in a quiet moment of the shared machine. Returns what others
	 * used in the last window.
	 */
	static double waitForQuiet() throws InterruptedException {
		long deadline = System.nanoTime() + Long.getLong("bench.quietWaitSeconds", 120) * 1_000_000_000L;
		double pct;
		int windows = 0;
		do {
			try (OthersCpu others = new OthersCpu()) {
				Thread.sleep(3000);
				pct = others.percent();
			}
			windows++;
		}
		while (pct >= CONTENDED_PCT && System.nanoTime() < deadline);
		if (windows > 1) {
			System.out.printf(Locale.ROOT, ".. waited %d s for a quiet machine (others now %.0f %% of a core)%n",
					windows * 3, pct);
		}
		return pct;
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
