package org.mlpages.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mlpages.bench.ThroughputComparison.Rate;
import org.mlpages.image.ImageModel;
import org.mlpages.image.PhotoBatch;
import org.mlpages.image.photo.PhotoDecoder;

/**
 * Issue 16, "photos under load": micro-batching measured side by side in one run.
 *
 * <ol>
 * <li>In-process, for each model of {@code bench.models}: the model alone on one
 * predictor with one TensorFlow intra-op thread, batch 1 vs batch 8, with one caller and
 * with two (each caller its own predictor, so both cores predict); then the pipeline
 * (decode + preprocess + predict) with two callers, one photo at a time vs batched by 8.
 * Two callers each predicting batches of 8 is "the in-process batch-8 throughput" the
 * goal compares against.</li>
 * <li>Over HTTP, against the jar started twice, with micro-batching on (as it ships) and
 * off ({@code mlpages.image.batching.max-size=1}): each warmed up at the highest client
 * count, then {@code bench.clients} wrk clients uploading the photo in a closed loop
 * (photos/s, p50, p99, the server's mean batch size from its metrics); then the lone
 * request (one client) alternately on each server, the median of each and their
 * difference.</li>
 * </ol>
 *
 * <p>
 * System properties: {@code bench.models} (cat_dog_model,cats_vs_dogs: in-process; the
 * HTTP part uses the first), {@code bench.clients} (64), {@code bench.warmupSeconds}
 * (in-process, 5), {@code bench.measureSeconds} (10), {@code bench.httpWarmupSeconds}
 * (180 for the batching server, two thirds of it for the other), {@code bench.loneRounds}
 * (3 alternations of {@code bench.loneSeconds}, 10 s each), {@code bench.http} (false:
 * in-process only), {@code bench.port} (the first of two ports; default free ones),
 * {@code bench.jar}, {@code bench.serverJvmArgs}, {@code bench.out}.
 */
public final class PhotosUnderLoad {

	static final double GOAL = 0.95;

	static final double LONE_GOAL_MS = 1;

	private static final Pattern BATCH_COUNT = Pattern
		.compile("mlpages_inference_batch_size_count\\{model=\"([^\"]+)\"[^}]*} ([0-9.Ee+-]+)");

	private static final Pattern BATCH_SUM = Pattern
		.compile("mlpages_inference_batch_size_sum\\{model=\"([^\"]+)\"[^}]*} ([0-9.Ee+-]+)");

	private PhotosUnderLoad() {
	}

	/** In-process figures of one model. */
	record InProcess(String model, Rate single1, Rate batch1, Rate single2, Rate batch2, Rate pipeline1, Rate pipeline8,
			Lone lone) {
	}

	/**
	 * A lone photo's prediction in-process, alternately straight on a predictor and
	 * through the batcher (as the app does with batching on): medians in ms.
	 */
	record Lone(int calls, double directMs, double batcherMs) {
	}

	/** HTTP figures of one server. */
	record Http(String label, Rate load, double meanBatch, List<Rate> lone) {
	}

	public static void main(String[] args) throws Exception {
		List<String> models = Arrays.stream(System.getProperty("bench.models", "cat_dog_model,cats_vs_dogs").split(","))
			.map(String::trim)
			.toList();
		int warmup = Integer.getInteger("bench.warmupSeconds", 5);
		int measure = Integer.getInteger("bench.measureSeconds", 10);
		byte[] photo = BenchSupport.photo(BenchSupport.PHOTO);
		String loadBefore = BenchSupport.load();

		List<InProcess> inProcess = new ArrayList<>();
		for (String name : models) {
			System.out.println("== in-process " + name + " (load " + BenchSupport.load() + ")");
			inProcess.add(inProcess(name, photo, warmup, measure));
		}

		List<Http> http = new ArrayList<>();
		if (Boolean.parseBoolean(System.getProperty("bench.http", "true"))) {
			http = http(models.get(0), photo, measure);
		}

		String table = table(inProcess, http, loadBefore, BenchSupport.load());
		BenchSupport.report(table);
	}

	// --- in-process ---

	private static InProcess inProcess(String name, byte[] photo, int warmup, int measure) throws Exception {
		// two models of one predictor each: each caller predicts its whole batch on
		// its own predictor, as a batching worker does
		try (ImageModel first = BenchSupport.loadShippedModel(name, 1);
				ImageModel second = BenchSupport.loadShippedModel(name, 1)) {
			PhotoBatch one = BenchSupport.batchOf(first, photo, 1);
			PhotoBatch eight = BenchSupport.batchOf(first, photo, 8);
			ImageModel[] byCaller = { first, second };
			ThreadLocal<ImageModel> mine = callerModels(byCaller);
			PhotoDecoder decoder = new PhotoDecoder(PhotoDecoder.DEFAULT_MAX_PIXELS);
			var input = first.preprocessor().preprocessing();
			Rate single1 = measure(name + " model batch 1", 1, warmup, measure, () -> mine.get().predict(one));
			Rate batch1 = measure(name + " model batch 8", 1, warmup, measure, () -> mine.get().predict(eight));
			Rate single2 = measure(name + " model batch 1", 2, warmup, measure, () -> mine.get().predict(one));
			Rate batch2 = measure(name + " model batch 8", 2, warmup, measure, () -> mine.get().predict(eight));
			Rate pipeline1 = measure(name + " pipeline batch 1", 2, warmup, measure, () -> {
				ImageModel model = mine.get();
				float[] tensor = model.preprocessor().toTensor(decoder.decode(photo));
				model.predict(PhotoBatch.of(tensor, input.height(), input.width()));
			});
			Rate pipeline8 = measure(name + " pipeline batch 8", 2, warmup, measure, () -> {
				ImageModel model = mine.get();
				List<float[]> tensors = new ArrayList<>(8);
				for (int i = 0; i < 8; i++) {
					tensors.add(model.preprocessor().toTensor(decoder.decode(photo)));
				}
				model.predict(new PhotoBatch(tensors, input.height(), input.width(), 3));
			});
			return new InProcess(name, single1, batch1, single2, batch2, pipeline1, pipeline8,
					lone(name, photo, warmup, measure));
		}
	}

	private static Lone lone(String name, byte[] photo, int warmup, int measure) {
		try (ImageModel model = BenchSupport.loadShippedModel(name, 0)) {
			PhotoBatch one = BenchSupport.batchOf(model, photo, 1);
			List<Double> direct = new ArrayList<>();
			List<Double> batcher = new ArrayList<>();
			long warm = System.nanoTime() + warmup * 1_000_000_000L;
			long end = warm + measure * 1_000_000_000L;
			while (System.nanoTime() < end) {
				boolean measured = System.nanoTime() >= warm;
				long start = System.nanoTime();
				model.predict(one);
				long middle = System.nanoTime();
				model.predictOne(one.photos().get(0));
				long stop = System.nanoTime();
				if (measured) {
					direct.add((middle - start) / 1e6);
					batcher.add((stop - middle) / 1e6);
				}
			}
			Lone lone = new Lone(direct.size(),
					BenchSupport.median(direct.stream().mapToDouble(Double::doubleValue).toArray()),
					BenchSupport.median(batcher.stream().mapToDouble(Double::doubleValue).toArray()));
			System.out.printf(Locale.ROOT,
					"%s lone photo in-process: direct %.3f ms, through the batcher %.3f ms (%d each)%n", name,
					lone.directMs(), lone.batcherMs(), lone.calls());
			return lone;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static ThreadLocal<ImageModel> callerModels(ImageModel[] models) {
		int[] next = { 0 };
		return ThreadLocal.withInitial(() -> {
			synchronized (next) {
				return models[next[0]++ % models.length];
			}
		});
	}

	interface Work {

		void run() throws Exception;

	}

	private static Rate measure(String what, int callers, int warmup, int measure, Work work) throws Exception {
		return ThroughputComparison.measure(what, callers, warmup, measure, Long.MAX_VALUE, null, () -> {
			work.run();
			return null;
		});
	}

	// --- over HTTP ---

	private static List<Http> http(String model, byte[] photo, int measure) throws Exception {
		int clients = Integer.getInteger("bench.clients", 64);
		int warmup = Integer.getInteger("bench.httpWarmupSeconds", 180);
		int loneRounds = Integer.getInteger("bench.loneRounds", 3);
		int loneSeconds = Integer.getInteger("bench.loneSeconds", 10);
		Path jar = Path.of(System.getProperty("bench.jar", "target/mlpages-0.1.0-SNAPSHOT.jar"));
		List<String> jvmArgs = ThroughputComparison.splitArgs(System.getProperty("bench.serverJvmArgs", ""));
		int firstPort = Integer.getInteger("bench.port", 0);
		if (!WrkLoad.available()) {
			throw new IllegalStateException("wrk is needed (apt-get install wrk)");
		}
		Path work = Path.of("target/bench/photos-under-load");
		BenchSupport.deleteTree(work);
		Files.createDirectories(work);
		Path body = work.resolve("body.multipart");
		Files.write(body, ThroughputComparison.multipartBody(BenchSupport.PHOTO, photo));

		String[] labels = { "batching on (max 8, as shipped)", "batching off (max-size=1)" };
		String[] appArgs = { "", "--mlpages.image.batching.max-size=1" };
		int[] warmups = { warmup, warmup * 2 / 3 };
		Process[] servers = new Process[2];
		String[] urls = new String[2];
		String[] metrics = new String[2];
		Rate[] loads = new Rate[2];
		double[] batches = new double[2];
		List<List<Rate>> lone = List.of(new ArrayList<>(), new ArrayList<>());
		try {
			for (int s = 0; s < 2; s++) {
				int port = firstPort > 0 ? firstPort + s : ThroughputComparison.freePort();
				Path dir = work.resolve("server-" + s);
				List<String> args = new ArrayList<>(jvmArgs);
				System.out.println("== HTTP " + labels[s] + ": starting " + jar + " on port " + port + " (load "
						+ BenchSupport.load() + ")");
				servers[s] = startApp(jar, port, dir, args, appArgs[s], work.resolve("server-" + s + ".log"));
				ThroughputComparison.waitUntilHealthy(port, servers[s], Duration.ofSeconds(300));
				urls[s] = "http://127.0.0.1:" + port + "/api/v1/models/" + model + "/predictions";
				metrics[s] = "http://127.0.0.1:" + port + "/actuator/prometheus";
				System.out
					.println("== HTTP " + labels[s] + ": warm-up " + warmups[s] + " s with " + clients + " clients");
				WrkLoad.run(urls[s], body, ThroughputComparison.BOUNDARY, clients, warmups[s], 200);
				double[] before = batchCountAndSum(metrics[s], model);
				loads[s] = ThroughputComparison.measureWithWrk("HTTP " + labels[s], urls[s], body, 200, clients, 0,
						measure * 2, servers[s]);
				double[] after = batchCountAndSum(metrics[s], model);
				batches[s] = (after[1] - before[1]) / (after[0] - before[0]);
				// the lone request's path warmed too, before the alternation
				WrkLoad.run(urls[s], body, ThroughputComparison.BOUNDARY, 1, 5, 200);
			}
			for (int round = 0; round < loneRounds; round++) {
				for (int s = 0; s < 2; s++) {
					lone.get(s)
						.add(ThroughputComparison.measureWithWrk("lone " + labels[s], urls[s], body, 200, 1, 1,
								loneSeconds, servers[s]));
				}
			}
		}
		finally {
			for (Process server : servers) {
				if (server != null) {
					ThroughputComparison.stop(server);
				}
			}
		}
		List<Http> result = new ArrayList<>();
		for (int s = 0; s < 2; s++) {
			result.add(new Http(labels[s], loads[s], batches[s], lone.get(s)));
		}
		return result;
	}

	private static Process startApp(Path jar, int port, Path dir, List<String> jvmArgs, String appArgs, Path log)
			throws IOException {
		String previous = System.getProperty("bench.appArgs", "");
		System.setProperty("bench.appArgs", (previous + " " + appArgs).trim());
		try {
			return ThroughputComparison.startApp(jar, port, BenchSupport.cacheDir(), dir, jvmArgs, log);
		}
		finally {
			System.setProperty("bench.appArgs", previous);
		}
	}

	/** The batch-size summary's count and sum for the model, from the app's metrics. */
	private static double[] batchCountAndSum(String url, String model) {
		try {
			HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			String text = client
				.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
						HttpResponse.BodyHandlers.ofString())
				.body();
			return new double[] { value(BATCH_COUNT, text, model), value(BATCH_SUM, text, model) };
		}
		catch (IOException | InterruptedException ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			return new double[] { Double.NaN, Double.NaN };
		}
	}

	private static double value(Pattern pattern, String text, String model) {
		Matcher matcher = pattern.matcher(text);
		while (matcher.find()) {
			if (matcher.group(1).equals(model)) {
				return Double.parseDouble(matcher.group(2));
			}
		}
		return Double.NaN;
	}

	// --- the table ---

	static String table(List<InProcess> inProcess, List<Http> http, String loadBefore, String loadAfter) {
		StringBuilder out = new StringBuilder();
		out.append("### Photos under load (issue 16): micro-batching\n\n");
		out.append("photo ")
			.append(BenchSupport.PHOTO)
			.append(" (499x375 JPEG); one TensorFlow intra-op thread per prediction; load before/after: ")
			.append(loadBefore)
			.append(" / ")
			.append(loadAfter)
			.append("\n\n");
		out.append("#### In-process (one predictor per caller)\n\n");
		out.append("| model | what | callers | photos per call | photos/s | ms per call (mean) | CPU ms/photo | "
				+ "vs batch 1 (photos/s) | others' CPU % |\n");
		out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
		for (InProcess p : inProcess) {
			row(out, p.model(), "model alone", p.single1(), 1, p.single1());
			row(out, p.model(), "model alone", p.batch1(), 8, p.single1());
			row(out, p.model(), "model alone", p.single2(), 1, p.single2());
			row(out, p.model(), "model alone", p.batch2(), 8, p.single2());
			row(out, p.model(), "decode + preprocess + predict", p.pipeline1(), 1, p.pipeline1());
			row(out, p.model(), "decode + preprocess + predict", p.pipeline8(), 8, p.pipeline1());
		}
		out.append("\n| model | lone photo in-process, alternately: predictor (median ms) | through the batcher "
				+ "(median ms) | difference ms | calls each |\n|---|---:|---:|---:|---:|\n");
		for (InProcess p : inProcess) {
			out.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %+.3f | %d |%n", p.model(), p.lone().directMs(),
					p.lone().batcherMs(), p.lone().batcherMs() - p.lone().directMs(), p.lone().calls()));
		}
		if (http.isEmpty() || inProcess.isEmpty()) {
			return out.toString();
		}
		InProcess base = inProcess.get(0);
		double modelBatch8 = photosPerSecond(base.batch2(), 8);
		double pipelineBatch8 = photosPerSecond(base.pipeline8(), 8);
		out.append("\n#### Over HTTP (")
			.append(base.model())
			.append(", wrk + bench/photo-post.lua: multipart, decode, predict, upload stored, row logged)\n\n");
		out.append("| server | clients | photos/s | p50 ms | p99 ms | mean batch | server inferenceMs | app CPU % | "
				+ "CPU ms/photo | errors | others' CPU % | / in-process pipeline batch 8 | / model alone batch 8 |\n");
		out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (Http h : http) {
			Rate r = h.load();
			out.append(String.format(Locale.ROOT,
					"| %s | %d | %.1f | %.1f | %.1f | %.2f | %s | %.0f | %.1f | %d | %s | %s | %s |%n", h.label(),
					r.clients(), r.perSecond(), r.p50Ms(), r.p99Ms(), h.meanBatch(), dash(r.serverInferenceMs()),
					r.serverCpuPct(), r.cpuMsPerPhoto(), r.errors(), others(r), pct(r.perSecond() / pipelineBatch8),
					pct(r.perSecond() / modelBatch8)));
		}
		out.append("\n| server | lone request (1 client), median ms per round | median of rounds | p99 ms | "
				+ "server inferenceMs |\n|---|---|---:|---:|---:|\n");
		double[] medians = new double[http.size()];
		for (int s = 0; s < http.size(); s++) {
			List<Rate> rounds = http.get(s).lone();
			medians[s] = BenchSupport.median(rounds.stream().mapToDouble(Rate::p50Ms).toArray());
			out.append("| ")
				.append(http.get(s).label())
				.append(" | ")
				.append(String.join(", ", rounds.stream().map(r -> BenchSupport.fmt(r.p50Ms())).toList()))
				.append(" | ")
				.append(BenchSupport.fmt(medians[s]))
				.append(" | ")
				.append(BenchSupport.fmt(BenchSupport.median(rounds.stream().mapToDouble(Rate::p99Ms).toArray())))
				.append(" | ")
				.append(BenchSupport
					.fmt(BenchSupport.median(rounds.stream().mapToDouble(Rate::serverInferenceMs).toArray())))
				.append(" |\n");
		}
		Rate on = http.get(0).load();
		double ratio = on.perSecond() / modelBatch8;
		double ratioPipeline = on.perSecond() / pipelineBatch8;
		double loneDiff = medians[0] - medians[1];
		double single = medians[0];
		out.append("\nBaselines, measured above in this run: the model alone with two callers, each predicting"
				+ " batches of 8 on its own predictor (")
			.append(BenchSupport.fmt1(modelBatch8))
			.append(" photos/s), and the same pipeline in-process, batched by 8 (")
			.append(BenchSupport.fmt1(pipelineBatch8))
			.append(" photos/s).\n\n");
		out.append("Goal photos/s over HTTP with ")
			.append(on.clients())
			.append(" clients >= ")
			.append(pct(GOAL))
			.append(" of the in-process batch-8 throughput: ")
			.append(BenchSupport.fmt1(on.perSecond()))
			.append(" photos/s = ")
			.append(pct(ratioPipeline))
			.append(" of the in-process pipeline batched by 8 -> ")
			.append(ratioPipeline >= GOAL ? "MET" : "MISSED")
			.append("; ")
			.append(pct(ratio))
			.append(" of the model alone at batch 8 -> ")
			.append(ratio >= GOAL ? "MET" : "MISSED")
			.append("\n");
		double cpuPipeline = base.pipeline8().cpuMsPerPhoto() / 8;
		double cpuModel = base.batch2().cpuMsPerPhoto() / 8;
		out.append("CPU-bound ratio (CPU time per photo, which other processes hardly change; what the photos/s ratio"
				+ " would be with both saturating the same cores): in-process pipeline batched by 8 ")
			.append(BenchSupport.fmt(cpuPipeline))
			.append(" ms / the app over HTTP ")
			.append(BenchSupport.fmt(on.cpuMsPerPhoto()))
			.append(" ms = ")
			.append(pct(cpuPipeline / on.cpuMsPerPhoto()))
			.append(" -> ")
			.append(cpuPipeline / on.cpuMsPerPhoto() >= GOAL ? "MET" : "MISSED")
			.append("; the model alone at batch 8 ")
			.append(BenchSupport.fmt(cpuModel))
			.append(" ms / ")
			.append(BenchSupport.fmt(on.cpuMsPerPhoto()))
			.append(" ms = ")
			.append(pct(cpuModel / on.cpuMsPerPhoto()))
			.append("; with batching off the app takes ")
			.append(BenchSupport.fmt(http.get(1).load().cpuMsPerPhoto()))
			.append(" ms per photo\n");
		boolean contended = java.util.stream.Stream.of(on, http.get(1).load(), base.batch2(), base.pipeline8())
			.anyMatch(r -> r.otherCpuPct() > BenchSupport.CONTENDED_PCT);
		if (contended) {
			out.append("CONTENDED: other processes took more than ")
				.append(BenchSupport.fmt1(BenchSupport.CONTENDED_PCT))
				.append(" % of a core during some of these figures; their photos/s verdicts do not hold, the CPU-bound"
						+ " ratio is the one to read; rerun on a quiet machine\n");
		}
		out.append("Batching on vs off over HTTP: ")
			.append(pct(on.perSecond() / http.get(1).load().perSecond()))
			.append(" of the photos/s; p99 at ")
			.append(on.clients())
			.append(" clients ")
			.append(BenchSupport.fmt1(on.p99Ms()))
			.append(" ms = ")
			.append(BenchSupport.fmt1(on.p99Ms() / single))
			.append(" x the single-photo latency (median, 1 client, ")
			.append(BenchSupport.fmt(single))
			.append(" ms)\n");
		out.append("Goal lone request slowed by <= ")
			.append(BenchSupport.fmt1(LONE_GOAL_MS))
			.append(" ms: median on - off = ")
			.append(String.format(Locale.ROOT, "%+.2f", loneDiff))
			.append(" ms -> ")
			.append(loneDiff <= LONE_GOAL_MS ? "MET" : "MISSED")
			.append("\n");
		return out.toString();
	}

	private static void row(StringBuilder out, String model, String what, Rate rate, int photos, Rate base) {
		out.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.1f | %.2f | %.2f | %s | %s |%n", model, what,
				rate.clients(), photos, photosPerSecond(rate, photos), rate.meanMs(), rate.cpuMsPerPhoto() / photos,
				pct(photosPerSecond(rate, photos) / photosPerSecond(base, base == rate ? photos : 1)), others(rate)));
	}

	static double photosPerSecond(Rate rate, int photosPerCall) {
		return rate.perSecond() * photosPerCall;
	}

	private static String others(Rate rate) {
		return BenchSupport.fmt1(rate.otherCpuPct())
				+ (rate.otherCpuPct() > BenchSupport.CONTENDED_PCT ? " CONTENDED" : "");
	}

	private static String pct(double ratio) {
		return String.format(Locale.ROOT, "%.0f %%", ratio * 100);
	}

	private static String dash(double value) {
		return Double.isNaN(value) ? "-" : BenchSupport.fmt1(value);
	}

}
