package org.mlpages.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mlpages.image.ImageModel;
import org.mlpages.image.PhotoBatch;
import org.mlpages.image.photo.PhotoDecoder;

/**
 * Issue requirement 1, in one run: photo classifications per second in-process and over
 * HTTP against the running jar, with 1, 2 and 4 concurrent callers, and their ratio.
 *
 * <ol>
 * <li>In-process, in this JVM, with the model loaded by the app's own loader and
 * predictor pool: (a) "pipeline": the photo's bytes through decode + preprocess + predict
 * (batch 1), what the service does before it stores the upload and logs the row; (b)
 * "model": predict alone on the photo's ready tensor.</li>
 * <li>The model is closed, then {@code java -jar} starts the app (fresh database and
 * uploads folder, the natives and converted model from the same cache), and N clients
 * (wrk's keep-alive connections, see {@link WrkLoad}; the JDK's {@link HttpClient} when
 * wrk is not installed) POST the same photo as multipart to
 * {@code /api/v1/models/cat_dog_model/predictions} in a closed loop: multipart parsing,
 * decode, preprocess, predict, upload stored, SQLite row written, JSON answer. Nothing
 * else runs in between, so the two phases get the same 2 cores; the client itself uses
 * some of them (its CPU is printed).</li>
 * </ol>
 *
 * <p>
 * Each measurement warms up, then counts completions for a fixed time, bounded by a
 * request cap. Headline ratio: the best HTTP rate over the best in-process pipeline rate
 * (each at its best client count); per-client-count ratios against the pipeline and
 * against the model alone are printed too.
 *
 * <p>
 * System properties: {@code bench.clients} (1,2,4), {@code bench.warmupSeconds} (8),
 * {@code bench.measureSeconds} (15), {@code bench.httpWarmupSeconds} (before the first
 * HTTP level, 180), {@code bench.loadGenerator} (wrk or java; wrk when installed),
 * {@code bench.http} (false: in-process only), {@code bench.inProcess} (false: HTTP
 * only), {@code bench.maxRequests} (per measurement, 5000), {@code bench.jar},
 * {@code bench.serverJvmArgs} (extra JVM arguments for the app, space separated),
 * {@code bench.appArgs} (extra app arguments, space separated), {@code bench.out} (write
 * the Markdown summary there).
 */
public final class ThroughputComparison {

	static final double GOAL = 0.85;

	private static final Pattern INFERENCE_MS = Pattern.compile("\"inferenceMs\":([0-9.Ee+-]+)");

	private static final Pattern LATENCY_MS = Pattern.compile("\"latencyMs\":([0-9.Ee+-]+)");

	private ThroughputComparison() {
	}

	/** One measurement: completions per second and what they cost. */
	record Rate(String what, int clients, long count, double seconds, double meanMs, double p50Ms, double p99Ms,
			long errors, double serverInferenceMs, double serverServiceMs, double clientCpuPct, double serverCpuPct,
			double otherCpuPct, String load) {

		double perSecond() {
			return count / seconds;
		}

		/**
		 * CPU time per photo of the process doing the work: this JVM in-process, the app
		 * over HTTP (the load generator's own CPU is in bench JVM CPU %). Unlike
		 * photos/s, it hardly moves when other processes take cores away, so it estimates
		 * what each path would do on 2 cores of its own.
		 */
		double cpuMsPerPhoto() {
			double pct = Double.isNaN(serverCpuPct) ? clientCpuPct : serverCpuPct;
			return pct * 10 / perSecond();
		}

	}

	/**
	 * One call of the thing measured; returns the server's own timings, or null
	 * in-process.
	 */
	interface Call {

		double[] call() throws Exception;

	}

	public static void main(String[] args) throws Exception {
		int[] clients = Arrays.stream(System.getProperty("bench.clients", "1,2,4").split(","))
			.mapToInt(s -> Integer.parseInt(s.trim()))
			.toArray();
		int warmup = Integer.getInteger("bench.warmupSeconds", 8);
		int measure = Integer.getInteger("bench.measureSeconds", 15);
		long maxRequests = Long.getLong("bench.maxRequests", 5000);
		Path jar = Path.of(System.getProperty("bench.jar", "target/mlpages-0.1.0-SNAPSHOT.jar"));
		byte[] photo = BenchSupport.photo(BenchSupport.PHOTO);

		List<Rate> pipeline = new ArrayList<>();
		List<Rate> modelOnly = new ArrayList<>();
		System.out.println("== in-process (load " + BenchSupport.load() + ")");
		boolean inProcess = Boolean.parseBoolean(System.getProperty("bench.inProcess", "true"));
		try (ImageModel model = inProcess ? BenchSupport.loadShippedModel() : null) {
			PhotoDecoder decoder = new PhotoDecoder(PhotoDecoder.DEFAULT_MAX_PIXELS);
			var input = inProcess ? model.preprocessor().preprocessing() : null;
			PhotoBatch ready = inProcess ? BenchSupport.batchOf(model, photo, 1) : null;
			for (int n : inProcess ? clients : new int[0]) {
				pipeline.add(measure("in-process pipeline", n, warmup, measure, maxRequests, null, () -> {
					float[] tensor = model.preprocessor().toTensor(decoder.decode(photo));
					model.predict(PhotoBatch.of(tensor, input.height(), input.width()));
					return null;
				}));
				modelOnly.add(measure("in-process model", n, warmup, measure, maxRequests, null, () -> {
					model.predict(ready);
					return null;
				}));
			}
		}

		List<Rate> http = new ArrayList<>();
		List<Rate> probes = new ArrayList<>();
		if (Boolean.parseBoolean(System.getProperty("bench.http", "true"))) {
			measureHttp(jar, clients, warmup, measure, maxRequests, photo, http, probes);
		}

		String summary = summary(pipeline, modelOnly, http, probes);
		BenchSupport.report(summary);
	}

	private static void measureHttp(Path jar, int[] clients, int warmup, int measure, long maxRequests, byte[] photo,
			List<Rate> http, List<Rate> probes) throws Exception {
		Path work = Path.of("target/bench/http");
		BenchSupport.deleteTree(work);
		Files.createDirectories(work);
		int port = freePort();
		List<String> serverJvmArgs = splitArgs(System.getProperty("bench.serverJvmArgs", ""));
		System.out.println("== HTTP: starting " + jar + " on port " + port + " " + serverJvmArgs + " (load "
				+ BenchSupport.load() + ")");
		Process server = startApp(jar, port, BenchSupport.cacheDir(), work, serverJvmArgs,
				Path.of("target/bench/http-server.log"));
		try {
			waitUntilHealthy(port, server, Duration.ofSeconds(300));
			byte[] body = multipartBody(BenchSupport.PHOTO, photo);
			URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/models/" + BenchSupport.MODEL + "/predictions");
			// The app's request path (Tomcat, Spring MVC, Security, Jackson) is much more
			// code for the JIT than the in-process loop: C2 still compiles it after 90 s
			// of load (12 % of a core, 1.4 ms of CPU per photo on the 2-core AMD
			// machine), so the first level is preceded by one long warm-up (not
			// counted), and both sides are compared in their steady state.
			int httpWarmup = Integer.getInteger("bench.httpWarmupSeconds", 180);
			String generator = System.getProperty("bench.loadGenerator", WrkLoad.available() ? "wrk" : "java");
			System.out.println("== HTTP load generator: " + generator
					+ ("java".equals(generator) ? " (wrk not found: apt-get install wrk for the lighter client)" : ""));
			URI unknown = URI.create("http://127.0.0.1:" + port + "/api/v1/models/no_such_model/predictions");
			if ("wrk".equals(generator)) {
				Path bodyFile = work.resolve("body.multipart");
				Files.write(bodyFile, body);
				// the long warm-up at the highest client count: every predictor and
				// request thread, and the JIT's profiles, see the heaviest load first
				int most = Arrays.stream(clients).max().orElse(1);
				System.out.println("== HTTP warm-up: " + httpWarmup + " s with " + most + " connections");
				WrkLoad.run(uri.toString(), bodyFile, BOUNDARY, most, httpWarmup, 200);
				for (int n : clients) {
					http.add(measureWithWrk("HTTP POST prediction", uri.toString(), bodyFile, 200, n, warmup, measure,
							server));
				}
				probes.add(measureWithWrk("HTTP upload -> 404", unknown.toString(), bodyFile, 404, 1, 3,
						Math.max(3, measure / 2), server));
				return;
			}
			boolean first = true;
			for (int n : clients) {
				ThreadLocal<HttpClient> client = ThreadLocal
					.withInitial(() -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
				int levelWarmup = first ? Math.max(warmup, httpWarmup) : warmup;
				first = false;
				http.add(measure("HTTP POST prediction", n, levelWarmup, measure, maxRequests, server, () -> {
					HttpRequest request = HttpRequest.newBuilder(uri)
						.header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
						.timeout(Duration.ofSeconds(60))
						.POST(HttpRequest.BodyPublishers.ofByteArray(body))
						.build();
					HttpResponse<String> response = client.get().send(request, HttpResponse.BodyHandlers.ofString());
					if (response.statusCode() != 200) {
						throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
					}
					return new double[] { number(INFERENCE_MS, response.body()), number(LATENCY_MS, response.body()) };
				}));
			}
			// The same upload to a model that does not exist: Tomcat + multipart parsing
			// + a problem-detail answer, without decode, inference, file or row. What
			// HTTP itself costs per request.
			HttpClient probeClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			probes.add(measure("HTTP upload -> 404", 1, 3, Math.max(3, measure / 2), maxRequests, server, () -> {
				HttpRequest request = HttpRequest.newBuilder(unknown)
					.header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
					.timeout(Duration.ofSeconds(60))
					.POST(HttpRequest.BodyPublishers.ofByteArray(body))
					.build();
				HttpResponse<String> response = probeClient.send(request, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() != 404) {
					throw new IOException("expected 404, got HTTP " + response.statusCode());
				}
				return null;
			}));
		}
		finally {
			stop(server);
			BenchSupport.deleteTree(work);
		}

	}

	/**
	 * {@link #measureOnce}, started in a quiet moment and repeated (at most
	 * {@code bench.retries} times) while other processes took more than a quarter of a
	 * core; the least disturbed attempt is kept.
	 */
	static Rate measure(String what, int clients, int warmupSeconds, int measureSeconds, long maxRequests,
			Process server, Call call) throws Exception {
		return leastDisturbed(
				() -> measureOnce(what, clients, warmupSeconds, measureSeconds, maxRequests, server, call));
	}

	/** One attempt at a measurement. */
	interface Attempt {

		Rate run() throws Exception;

	}

	/**
	 * Runs the attempt in a quiet moment, repeated (at most {@code bench.retries} times)
	 * while other processes took more than a quarter of a core; the least disturbed
	 * attempt is kept.
	 */
	static Rate leastDisturbed(Attempt attempt) throws Exception {
		Rate kept = null;
		for (int i = 0; i <= BenchSupport.retries(); i++) {
			BenchSupport.waitForQuiet();
			Rate rate = attempt.run();
			if (kept == null || rate.otherCpuPct() < kept.otherCpuPct()) {
				kept = rate;
			}
			if (kept.otherCpuPct() <= BenchSupport.CONTENDED_PCT) {
				break;
			}
		}
		return kept;
	}

	/**
	 * wrk's warm-up run (not counted), then the measured one, with the app's CPU and the
	 * machine's read around it.
	 */
	static Rate measureWithWrk(String what, String url, Path body, int expect, int clients, int warmupSeconds,
			int measureSeconds, Process server) throws Exception {
		if (warmupSeconds > 0) {
			WrkLoad.run(url, body, BOUNDARY, clients, warmupSeconds, expect);
		}
		return leastDisturbed(() -> {
			String loadAtStart = BenchSupport.load();
			long serverCpu = BenchSupport.processCpuNanos(server.pid());
			long machine = BenchSupport.machineBusyNanos();
			long own = ownCpuNanos();
			WrkLoad.Result result = WrkLoad.run(url, body, BOUNDARY, clients, measureSeconds, expect);
			double seconds = result.seconds();
			double serverPct = (BenchSupport.processCpuNanos(server.pid()) - serverCpu) / 1e9 / seconds * 100;
			double wrkPct = result.wrkCpuSeconds() / seconds * 100;
			double ownPct = (ownCpuNanos() - own) / 1e9 / seconds * 100;
			double machinePct = (BenchSupport.machineBusyNanos() - machine) / 1e9 / seconds * 100;
			double otherPct = Math.max(0, machinePct - serverPct - wrkPct - ownPct);
			if (result.errors() > 0) {
				System.err.println(what + ": " + result.errors() + " answers other than " + expect + " ("
						+ result.statuses() + ", socket errors " + result.socketErrors() + ")");
			}
			Rate rate = new Rate(what, clients, result.ok(), seconds, result.meanMs(), result.p50Ms(), result.p99Ms(),
					result.errors(), result.inferenceMs(), result.serviceMs(), wrkPct, serverPct, otherPct,
					loadAtStart + " -> " + BenchSupport.load());
			System.out.printf(Locale.ROOT,
					"%-22s clients=%d  %7.1f /s  mean %6.1f ms  p50 %6.1f  p99 %6.1f  n=%d errors=%d"
							+ "  cpu wrk %.0f%% server %.0f%% others %.0f%%  load %s%n",
					what, clients, rate.perSecond(), rate.meanMs(), rate.p50Ms(), rate.p99Ms(), rate.count(),
					rate.errors(), wrkPct, serverPct, otherPct, rate.load());
			return rate;
		});
	}

	static Rate measureOnce(String what, int clients, int warmupSeconds, int measureSeconds, long maxRequests,
			Process server, Call call) throws InterruptedException {
		long start = System.nanoTime();
		long measureStart = start + warmupSeconds * 1_000_000_000L;
		long end = measureStart + measureSeconds * 1_000_000_000L;
		AtomicLong count = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		AtomicLong requestsLeft = new AtomicLong(maxRequests);
		List<long[]> latencies = new ArrayList<>();
		double[][] serverTimes = new double[clients][2];
		long[] serverTimed = new long[clients];
		long[] lastCompletion = new long[clients];
		Thread[] threads = new Thread[clients];
		long[] cpuAtMeasureStart = new long[3];
		String[] loadAtStart = new String[1];
		for (int t = 0; t < clients; t++) {
			int id = t;
			long[] mine = new long[(int) Math.min(maxRequests, 200_000)];
			latencies.add(mine);
			threads[t] = new Thread(() -> {
				int n = 0;
				while (true) {
					long before = System.nanoTime();
					if (before >= end || (before >= measureStart && requestsLeft.get() <= 0)) {
						break;
					}
					double[] timing;
					try {
						timing = call.call();
					}
					catch (Exception ex) {
						if (errors.incrementAndGet() <= 3) {
							System.err.println(what + ": " + ex);
						}
						continue;
					}
					long after = System.nanoTime();
					if (after >= measureStart && after < end && requestsLeft.getAndDecrement() > 0) {
						count.incrementAndGet();
						if (n < mine.length) {
							mine[n++] = after - before;
						}
						if (timing != null) {
							serverTimes[id][0] += timing[0];
							serverTimes[id][1] += timing[1];
							serverTimed[id]++;
						}
						lastCompletion[id] = after;
					}
				}
				latencies.set(id, Arrays.copyOf(mine, n));
			}, "bench-client-" + t);
		}
		for (Thread thread : threads) {
			thread.start();
		}
		Thread.sleep(Math.max(0, (measureStart - System.nanoTime()) / 1_000_000));
		cpuAtMeasureStart[0] = ownCpuNanos();
		cpuAtMeasureStart[1] = server == null ? 0 : BenchSupport.processCpuNanos(server.pid());
		cpuAtMeasureStart[2] = BenchSupport.machineBusyNanos();
		loadAtStart[0] = BenchSupport.load();
		for (Thread thread : threads) {
			thread.join();
		}
		long measuredEnd = Math.min(end, Arrays.stream(lastCompletion).max().orElse(end));
		if (requestsLeft.get() > 0) {
			measuredEnd = end;
		}
		double seconds = (measuredEnd - measureStart) / 1e9;
		double clientCpu = (ownCpuNanos() - cpuAtMeasureStart[0]) / 1e9 / seconds * 100;
		double serverCpu = server == null ? Double.NaN
				: (BenchSupport.processCpuNanos(server.pid()) - cpuAtMeasureStart[1]) / 1e9 / seconds * 100;
		double machineCpu = (BenchSupport.machineBusyNanos() - cpuAtMeasureStart[2]) / 1e9 / seconds * 100;
		double otherCpu = Math.max(0, machineCpu - clientCpu - (server == null ? 0 : serverCpu));
		long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
		double mean = Arrays.stream(all).average().orElse(Double.NaN) / 1e6;
		long timed = Arrays.stream(serverTimed).sum();
		double serverInference = timed == 0 ? Double.NaN
				: Arrays.stream(serverTimes).mapToDouble(row -> row[0]).sum() / timed;
		double serverService = timed == 0 ? Double.NaN
				: Arrays.stream(serverTimes).mapToDouble(row -> row[1]).sum() / timed;
		Rate rate = new Rate(what, clients, count.get(), seconds, mean, percentile(all, 50), percentile(all, 99),
				errors.get(), serverInference, serverService, clientCpu, serverCpu, otherCpu,
				loadAtStart[0] + " -> " + BenchSupport.load());
		System.out.printf(Locale.ROOT,
				"%-22s clients=%d  %7.1f /s  mean %6.1f ms  p50 %6.1f  p99 %6.1f  n=%d errors=%d"
						+ "  cpu client %.0f%% server %.0f%% others %.0f%%  load %s%n",
				what, clients, rate.perSecond(), mean, rate.p50Ms(), rate.p99Ms(), rate.count(), rate.errors(),
				clientCpu, serverCpu, otherCpu, rate.load());
		return rate;
	}

	static String summary(List<Rate> pipeline, List<Rate> modelOnly, List<Rate> http, List<Rate> probes) {
		StringBuilder out = new StringBuilder();
		out.append("### In-process vs HTTP throughput (photo ")
			.append(BenchSupport.PHOTO)
			.append(", 499x375 JPEG)\n\n");
		out.append("| path | clients | photos/s | mean ms | p50 ms | p99 ms | n | errors | server inferenceMs | "
				+ "server latencyMs | bench JVM CPU % | app CPU % | CPU ms/photo | other processes' CPU % | load (start -> end) |\n");
		out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
		for (List<Rate> rates : List.of(modelOnly, pipeline, http, probes)) {
			for (Rate r : rates) {
				out.append("| ")
					.append(r.what())
					.append(" | ")
					.append(r.clients())
					.append(" | ")
					.append(BenchSupport.fmt1(r.perSecond()))
					.append(" | ")
					.append(BenchSupport.fmt1(r.meanMs()))
					.append(" | ")
					.append(BenchSupport.fmt1(r.p50Ms()))
					.append(" | ")
					.append(BenchSupport.fmt1(r.p99Ms()))
					.append(" | ")
					.append(r.count())
					.append(" | ")
					.append(r.errors())
					.append(" | ")
					.append(dash(r.serverInferenceMs()))
					.append(" | ")
					.append(dash(r.serverServiceMs()))
					.append(" | ")
					.append(BenchSupport.fmt1(r.clientCpuPct()))
					.append(" | ")
					.append(dash(r.serverCpuPct()))
					.append(" | ")
					.append(BenchSupport.fmt1(r.cpuMsPerPhoto()))
					.append(" | ")
					.append(BenchSupport.fmt1(r.otherCpuPct()))
					.append(r.otherCpuPct() > BenchSupport.CONTENDED_PCT ? " CONTENDED" : "")
					.append(" | ")
					.append(r.load())
					.append(" |\n");
			}
		}
		if (http.isEmpty() || pipeline.isEmpty()) {
			return out.toString();
		}
		out.append("\n| clients | HTTP / in-process pipeline | HTTP / model alone |\n|---:|---:|---:|\n");
		for (int i = 0; i < http.size(); i++) {
			out.append("| ")
				.append(http.get(i).clients())
				.append(" | ")
				.append(pct(http.get(i).perSecond() / pipeline.get(i).perSecond()))
				.append(" | ")
				.append(pct(http.get(i).perSecond() / modelOnly.get(i).perSecond()))
				.append(" |\n");
		}
		Rate bestHttp = best(http);
		Rate bestPipeline = best(pipeline);
		Rate bestModel = best(modelOnly);
		double headline = bestHttp.perSecond() / bestPipeline.perSecond();
		out.append("\nHeadline: best HTTP ")
			.append(BenchSupport.fmt1(bestHttp.perSecond()))
			.append("/s (")
			.append(bestHttp.clients())
			.append(" clients) / best in-process pipeline ")
			.append(BenchSupport.fmt1(bestPipeline.perSecond()))
			.append("/s (")
			.append(bestPipeline.clients())
			.append(" clients) = ")
			.append(pct(headline))
			.append(" -> goal >= ")
			.append(pct(GOAL))
			.append(": ")
			.append(headline >= GOAL ? "MET" : "MISSED")
			.append("\n");
		out.append("Against the model alone (best ")
			.append(BenchSupport.fmt1(bestModel.perSecond()))
			.append("/s, ")
			.append(bestModel.clients())
			.append(" clients): ")
			.append(pct(bestHttp.perSecond() / bestModel.perSecond()))
			.append("\n");
		double cpuPipeline = pipeline.stream().mapToDouble(Rate::cpuMsPerPhoto).min().orElse(Double.NaN);
		double cpuHttp = http.stream().mapToDouble(Rate::cpuMsPerPhoto).min().orElse(Double.NaN);
		out.append("CPU cost per photo (least over client counts): in-process pipeline ")
			.append(BenchSupport.fmt1(cpuPipeline))
			.append(" ms, the app over HTTP ")
			.append(BenchSupport.fmt1(cpuHttp))
			.append(" ms -> CPU-bound ratio ")
			.append(pct(cpuPipeline / cpuHttp))
			.append(" (what HTTP / in-process would be with both saturating the same")
			.append(" cores; hardly affected by other processes)\n");
		return out.toString();
	}

	private static Rate best(List<Rate> rates) {
		return rates.stream().max((a, b) -> Double.compare(a.perSecond(), b.perSecond())).orElseThrow();
	}

	private static String pct(double ratio) {
		return String.format(Locale.ROOT, "%.0f %%", ratio * 100);
	}

	private static String dash(double value) {
		return Double.isNaN(value) ? "-" : BenchSupport.fmt1(value);
	}

	private static double percentile(long[] sorted, int p) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1e6;
	}

	private static double number(Pattern pattern, String json) {
		Matcher matcher = pattern.matcher(json);
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
	}

	static final String BOUNDARY = "----mlpagesbench7d1f";

	static byte[] multipartBody(String fileName, byte[] content) {
		String head = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + fileName
				+ "\"\r\nContent-Type: image/jpeg\r\n\r\n";
		byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
		byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
		byte[] body = new byte[headBytes.length + content.length + tail.length];
		System.arraycopy(headBytes, 0, body, 0, headBytes.length);
		System.arraycopy(content, 0, body, headBytes.length, content.length);
		System.arraycopy(tail, 0, body, headBytes.length + content.length, tail.length);
		return body;
	}

	// --- the app as a process ---

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	static List<String> splitArgs(String args) {
		return Arrays.stream(args.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
	}

	/**
	 * {@code java [jvmArgs] -jar jar} from the project root (it needs {@code models/}),
	 * with its database and uploads under {@code work} and the given cache directory. A
	 * {@code start.sh} in place of the jar (written by {@code bin/prepare-start.sh}) is
	 * run as it is, with the JVM arguments in {@code JAVA_TOOL_OPTIONS}.
	 */
	static Process startApp(Path jar, int port, Path cacheDir, Path work, List<String> jvmArgs, Path log)
			throws IOException {
		Files.createDirectories(work.resolve("uploads"));
		Files.createDirectories(log.toAbsolutePath().getParent());
		boolean startScript = jar.getFileName().toString().endsWith(".sh");
		List<String> command = new ArrayList<>();
		if (startScript) {
			command.add(jar.toString());
		}
		else {
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			command.addAll(jvmArgs);
			command.addAll(List.of("-jar", jar.toString()));
		}
		command.addAll(List.of("--server.port=" + port, "--server.address=127.0.0.1",
				"--mlpages.cache-dir=" + cacheDir.toAbsolutePath(),
				"--mlpages.uploads-dir=" + work.resolve("uploads").toAbsolutePath(),
				"--spring.datasource.url=jdbc:sqlite:" + work.resolve("mlpages.db").toAbsolutePath()
						+ "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000&foreign_keys=true"));
		// settings an operator could pass, e.g.
		// --spring.data.jpa.repositories.bootstrap-mode=deferred
		command.addAll(splitArgs(System.getProperty("bench.appArgs", "")));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "1");
		if (startScript && !jvmArgs.isEmpty()) {
			builder.environment().put("JAVA_TOOL_OPTIONS", String.join(" ", jvmArgs));
		}
		return builder.start();
	}

	static void waitUntilHealthy(int port, Process server, Duration timeout) throws Exception {
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
			.timeout(Duration.ofSeconds(5))
			.build();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!server.isAlive()) {
				throw new IllegalStateException("the app exited with " + server.exitValue() + "; see its log");
			}
			try {
				if (client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("the app was not healthy within " + timeout);
	}

	static void stop(Process server) throws InterruptedException {
		if (!server.isAlive()) {
			return;
		}
		server.destroy();
		if (!server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
			server.destroyForcibly();
			server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
		}
	}

	private static long ownCpuNanos() {
		var os = ManagementFactory.getOperatingSystemMXBean();
		if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
			return sun.getProcessCpuTime();
		}
		return 0;
	}

}
