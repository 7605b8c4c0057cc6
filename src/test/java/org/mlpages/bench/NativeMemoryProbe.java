package org.mlpages.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import org.mlpages.image.ImageModel;
import org.mlpages.image.PhotoBatch;

/**
 * Issue 16, the native side of memory: both shipped image models predicting batches of
 * the sizes the micro-batcher sends, on two threads per model (its two workers), in this
 * JVM alone, so that what TensorFlow and oneDNN keep after the load shows without the web
 * server's noise. Prints, after the models load, after the load and after
 * {@code malloc_trim(0)}: RSS, anonymous memory, and glibc's view (mallinfo2: the arenas,
 * what is free in them, the blocks mmap'd apart); and the process's CPU time per photo
 * over the load (the cost a setting adds, less sensitive to a busy machine than
 * photos/s). Settings are the environment's (MALLOC_*, ONEDNN_*, TF_*) and:
 * <ul>
 * <li>{@code -Dprobe.sizes=1,2,3,4,5,6,7,8} the batch sizes asked for, each once per
 * round and thread, shuffled;</li>
 * <li>{@code -Dprobe.sent=} if set (e.g. {@code 1,2,4,8}), the sizes the model may be
 * given: a batch is padded up to the next one (the padding's photos are counted as cost,
 * not as photos);</li>
 * <li>{@code -Dprobe.rounds=15}; {@code -Dprobe.workers=2} threads per model;
 * {@code -Dprobe.models=cat_dog_model,cats_vs_dogs}.</li>
 * </ul>
 * Run:
 * {@code java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt)
 * org.mlpages.bench.NativeMemoryProbe}.
 */
public final class NativeMemoryProbe {

	private NativeMemoryProbe() {
	}

	public static void main(String[] args) throws Exception {
		int[] sizes = ints(System.getProperty("probe.sizes", "1,2,3,4,5,6,7,8"));
		String sentProperty = System.getProperty("probe.sent", "");
		int[] sent = sentProperty.isBlank() ? null : ints(sentProperty);
		int rounds = Integer.getInteger("probe.rounds", 15);
		int workers = Integer.getInteger("probe.workers", 2);
		List<ImageModel> models = Arrays
			.stream(System.getProperty("probe.models", "cat_dog_model,cats_vs_dogs").split(","))
			.map(name -> BenchSupport.loadShippedModel(name, 0))
			.toList();
		byte[] photo = BenchSupport.photo(BenchSupport.PHOTO);
		int largest = Arrays.stream(sent != null ? sent : sizes).max().orElseThrow();
		List<PhotoBatch[]> inputs = new ArrayList<>();
		for (ImageModel model : models) {
			PhotoBatch[] bySize = new PhotoBatch[largest + 1];
			for (int size = 1; size <= largest; size++) {
				bySize[size] = BenchSupport.batchOf(model, photo, size);
			}
			inputs.add(bySize);
		}
		System.out.println("settings: sizes " + Arrays.toString(sizes) + ", sent "
				+ (sent == null ? "as asked" : Arrays.toString(sent)) + ", rounds " + rounds + ", " + workers
				+ " threads per model; env " + environment() + "; load " + BenchSupport.load());
		print("models loaded");
		// oneDNN creates (JIT-compiles) its primitives at the first call of each shape:
		// not what is measured
		for (int m = 0; m < models.size(); m++) {
			for (int size : sent != null ? sent : sizes) {
				models.get(m).predict(inputs.get(m)[size]);
			}
		}
		System.gc();
		print("after a warm-up");
		AtomicLong photos = new AtomicLong();
		AtomicLong predicted = new AtomicLong();
		long cpuBefore = BenchSupport.ownCpuNanos();
		long wallBefore = System.nanoTime();
		List<Thread> threads = new ArrayList<>();
		for (int m = 0; m < models.size(); m++) {
			for (int worker = 0; worker < workers; worker++) {
				ImageModel model = models.get(m);
				PhotoBatch[] bySize = inputs.get(m);
				long seed = m * 10L + worker;
				Thread thread = new Thread(() -> {
					Random random = new Random(seed);
					List<Integer> order = new ArrayList<>();
					for (int size : sizes) {
						order.add(size);
					}
					for (int round = 0; round < rounds; round++) {
						Collections.shuffle(order, random);
						for (int size : order) {
							int given = sent == null ? size : padded(size, sent);
							try {
								model.predict(bySize[given]);
							}
							catch (Exception ex) {
								throw new IllegalStateException(ex);
							}
							photos.addAndGet(size);
							predicted.addAndGet(given);
						}
					}
				}, model.name() + "-probe-" + worker);
				threads.add(thread);
				thread.start();
			}
		}
		for (Thread thread : threads) {
			thread.join();
		}
		long cpu = BenchSupport.ownCpuNanos() - cpuBefore;
		long wall = System.nanoTime() - wallBefore;
		System.out.printf("load: %d photos (%d predicted with padding) in %.1f s, CPU %.1f ms per photo, load %s%n",
				photos.get(), predicted.get(), wall / 1e9, cpu / 1e6 / photos.get(), BenchSupport.load());
		print("after the load");
		// tensors the load left to the garbage collector hold native memory until it runs
		System.gc();
		Thread.sleep(2000);
		print("after a GC");
		LibC.INSTANCE.malloc_trim(0);
		print("after malloc_trim(0)");
		models.forEach(ImageModel::close);
		print("models closed");
		System.exit(0);
	}

	static int padded(int size, int[] sent) {
		for (int s : sent) {
			if (s >= size) {
				return s;
			}
		}
		throw new IllegalArgumentException("no sent size holds " + size);
	}

	private static int[] ints(String list) {
		return Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt).sorted().toArray();
	}

	private static String environment() {
		StringBuilder out = new StringBuilder();
		System.getenv()
			.entrySet()
			.stream()
			.filter(e -> e.getKey().startsWith("MALLOC_") || e.getKey().startsWith("ONEDNN")
					|| e.getKey().startsWith("DNNL") || e.getKey().startsWith("TF_"))
			.sorted(java.util.Map.Entry.comparingByKey())
			.forEach(e -> out.append(e.getKey()).append('=').append(e.getValue()).append(' '));
		return out.toString().trim();
	}

	private static void print(String moment) throws IOException {
		long rss = 0;
		long anonymous = 0;
		for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
			if (line.startsWith("Rss:")) {
				rss = kb(line);
			}
			else if (line.startsWith("Anonymous:")) {
				anonymous = kb(line);
			}
		}
		Mallinfo2 info = LibC.INSTANCE.mallinfo2();
		System.out.printf(
				"%-22s RSS %4d MB, anonymous %4d MB | malloc: arenas %4d MB (in use %4d, free %4d), mmap'd apart %4d MB in %d blocks%n",
				moment, rss >> 10, anonymous >> 10, info.arena >> 20, info.uordblks >> 20, info.fordblks >> 20,
				info.hblkhd >> 20, info.hblks);
	}

	private static long kb(String line) {
		return Long.parseLong(line.trim().split("\\s+")[1]);
	}

	private interface LibC extends Library {

		LibC INSTANCE = Native.load("c", LibC.class);

		int malloc_trim(long pad);

		Mallinfo2.ByValue mallinfo2();

	}

	/** glibc's struct mallinfo2 (2.33 and later): every field a size_t. */
	@Structure.FieldOrder({ "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
			"fordblks", "keepcost" })
	public static class Mallinfo2 extends Structure {

		public long arena;

		public long ordblks;

		public long smblks;

		public long hblks;

		public long hblkhd;

		public long usmblks;

		public long fsmblks;

		public long uordblks;

		public long fordblks;

		public long keepcost;

		public static class ByValue extends Mallinfo2 implements Structure.ByValue {

		}

	}

}
