package org.mlpages.reliability;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.mlpages.deploy.ServiceUnit;
import org.mlpages.jar.PackagedApp;
import org.mlpages.jar.UnitStart;
import org.mlpages.reliability.MixedLoad.Kind;
import org.mlpages.reliability.MixedLoad.Report;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar, with the systemd unit's Java options, under the mixed load of
 * {@link MixedLoad} from 200 clients at once: nothing but answers (no 5xx, no connection
 * reset), one row for every prediction answered and none for another, memory that levels
 * off run after run under the unit's limit, and the About page and health answering while
 * the image models are saturated. Then the same app killed ({@code kill -9}) and stopped
 * (SIGTERM) in the middle of it: no answered prediction without its row.
 * <p>
 * Shortened here (runs of {@code mlpages.load.seconds}, 10 s by default); the full runs
 * ({@code -Dmlpages.load.seconds=60}) are in docs/reliability.md. Also
 * {@code mlpages.load.clients}, {@code mlpages.load.runs}, {@code mlpages.load.app-args}
 * (more arguments for the app) and {@code mlpages.load.java-options} (its
 * JAVA_TOOL_OPTIONS, e.g. {@code -Xlog:gc:file=gc.log}).
 */
class UnderLoadIT {

	static final int CLIENTS = Integer.getInteger("mlpages.load.clients", 200);

	static final Duration RUN = Duration.ofSeconds(Long.getLong("mlpages.load.seconds", 10));

	static final int RUNS = Integer.getInteger("mlpages.load.runs", 3);

	private final String password = "pw-" + UUID.randomUUID();

	@Test
	void twoHundredClientsGetAnswersAndEveryPredictionHasItsRow() throws Exception {
		Path dir = PackagedApp.workDir();
		long memoryHigh = memoryHighMegabytes();
		try (PackagedApp app = start(dir)) {
			Path db = dir.resolve("mlpages.db");
			MixedLoad load = new MixedLoad(app.base(), password);
			List<String> memory = new ArrayList<>();
			memory.add("after the start: " + Footprint.rssMegabytes(app) + " MB");
			long peak = 0;
			List<Footprint> after = new ArrayList<>();
			for (int run = 1; run <= RUNS; run++) {
				long rowsBefore = rows(db);
				RssSampler rss = new RssSampler(app);
				Probes probes = new Probes(app);
				Report report = load.run(CLIENTS, RUN, () -> false);
				probes.stop();
				rss.stop();
				peak = Math.max(peak, rss.peak());
				long atItsEnd = Footprint.rssMegabytes(app);
				after.add(Footprint.of(app));
				memory.add("run " + run + ": peak " + rss.peak() + " MB, " + atItsEnd + " MB at its end, collected: "
						+ after.get(run - 1));
				System.out.printf("UnderLoadIT run %d of %d s at %d clients:%n%s%s%n", run, RUN.toSeconds(), CLIENTS,
						report.table(RUN.toSeconds()), probes.summary());

				assertThat(report.failures()).as("requests without an answer").isEmpty();
				assertThat(report.serverErrors()).as("5xx answers: %s", report.unexpectedServerErrors()).isEmpty();
				assertThat(report.count(4)).as("4xx answers to the mix's valid requests").isZero();
				assertThat(report.count(Kind.HISTORY, 3)).as("the admin sent to the login page").isZero();
				assertThat(report.predictionIds()).as("an id in every prediction answered")
					.hasSize((int) report.predictionAnswers());
				assertThat(rows(db) - rowsBefore).as("one row per prediction answered")
					.isEqualTo(report.predictionIds().size());
				assertThat(missing(db, report.predictionIds())).as("answered ids without a row").isEmpty();
				assertThat(probes.failures()).as("the About page and health").isEmpty();
			}
			System.out.println("UnderLoadIT memory: " + String.join("; ", memory));
			assertThat(peak).as("RSS peak under the unit's MemoryHigh").isLessThan(memoryHigh);
			if (RUNS >= 3) {
				// After the first run (the JIT warming up, the heap growing)
				// the memory outside the heap still grows, by uneven amounts
				// (3-35 MB a 10-s run here, 60 MB once in CI), as TensorFlow's
				// pool takes a larger region the first time more predictions
				// overlap (docs/reliability.md). A leak grows it in every run.
				List<Long> rss = after.stream().map(Footprint::rssMegabytes).toList();
				boolean grewInBothLastRuns = grew(rss.get(RUNS - 3), rss.get(RUNS - 2))
						&& grew(rss.get(RUNS - 2), rss.get(RUNS - 1));
				assertThat(grewInBothLastRuns)
					.as("RSS after each run (MB): %s, grown by 5 %% or more in each of the last two", rss)
					.isFalse();
				assertThat(after.get(RUNS - 1).liveHeapMegabytes())
					.as("the heap's live objects after the last run against the run before")
					.isLessThanOrEqualTo(after.get(RUNS - 2).liveHeapMegabytes() + 8);
			}
			assertThat(app.log()).doesNotContain("OutOfMemoryError", "ERROR");
		}
	}

	/**
	 * Photos only, from more clients than the workers and the queue can hold (the queue
	 * made small here: 16): those beyond it get a 503 with {@code Retry-After} at once,
	 * the others their answer, and the About page and health stay fast: the photos wait
	 * in their queue, not in the server's threads, and their work yields the cores.
	 */
	@Test
	void photosBeyondTheQueueAreToldToComeBackAndTheRestOfTheSiteStaysFast() throws Exception {
		Path dir = PackagedApp.workDir();
		try (PackagedApp app = start(dir, PackagedApp.freePort(), "--mlpages.image.queue.capacity=16")) {
			Path db = dir.resolve("mlpages.db");
			long rowsBefore = rows(db);
			Probes probes = new Probes(app);
			Report report = new MixedLoad(app.base(), password).run(64, RUN, () -> false,
					EnumSet.of(Kind.PHOTO_API, Kind.PHOTO_PAGE));
			probes.stop();
			System.out.printf("UnderLoadIT photos only, %d s at 64 clients, a queue of 16:%n%s%s%n", RUN.toSeconds(),
					report.table(RUN.toSeconds()), probes.summary());

			assertThat(report.failures()).as("requests without an answer, 503s without Retry-After").isEmpty();
			assertThat(report.serverErrors().keySet()).as("5xx other than 503 busy").containsOnly(503);
			assertThat(report.predictionAnswers()).as("photos answered").isPositive();
			assertThat(rows(db) - rowsBefore).as("one row per photo answered, none for a refused one")
				.isEqualTo(report.predictionIds().size());
			assertThat(probes.failures()).isEmpty();
			// the bounds follow the machine: on a CI host running at half speed
			// everything takes twice as long, the photos too; what must hold is that the
			// site does not wait behind the photos, which wait seconds here (measured in
			// the same run). Observed medians: 84 ms alone, 190-450 ms in the full suite
			// with photos at 1.5-4.7 s: 250 ms is not held reliably (left for the
			// reliability work).
			double photos = report.p50(Kind.PHOTO_API);
			assertThat(probes.median()).as("the About page and health's median, ms, the photos' p50 being " + photos)
				.isLessThan(Math.max(250, photos / 4));
			assertThat(probes.slowest()).as("the slowest About page or health, ms, the photos' p50 being " + photos)
				.isLessThan(Math.max(2_000, photos / 2));
			assertThat(app.log()).doesNotContain("OutOfMemoryError");
		}
	}

	@Test
	void killedInTheMiddleItRestartsWithEveryAnsweredPredictionAndNoStrayPhoto() throws Exception {
		Path dir = PackagedApp.workDir();
		int port = PackagedApp.freePort();
		Report report;
		long restartMs;
		try (PackagedApp app = start(dir, port)) {
			report = loadUntil(app, () -> {
				app.kill();
			});
		}
		assertThat(report.predictionIds()).as("predictions answered before the kill").isNotEmpty();

		long restart = System.nanoTime();
		try (PackagedApp again = start(dir, port, "--mlpages.upload.orphan-age=2s")) {
			restartMs = (System.nanoTime() - restart) / 1_000_000;
			Path db = dir.resolve("mlpages.db");
			assertThat(integrityCheck(db)).isEqualTo("ok");
			assertThat(missing(db, report.predictionIds())).as("answered ids without a row").isEmpty();
			assertThat(again.uri("/")).isNotNull();
			Set<String> photos = waitForNoPhotoWithoutItsRow(db, dir.resolve("uploads"));
			assertThat(storedFiles(db)).as("rows pointing at a missing photo")
				.allSatisfy(name -> assertThat(photos).contains(name));
			HttpResponse<String> next = creditDecision(again);
			assertThat(next.statusCode()).as("serves again").isEqualTo(200);
			System.out.printf("UnderLoadIT kill -9: %d predictions answered before it, %d rows after, serving again"
					+ " %d ms after the restart command%n", report.predictionIds().size(), rows(db), restartMs);
		}
	}

	@Test
	void stoppedInTheMiddleItFinishesWhatItAnsweredAndExitsCleanly() throws Exception {
		Path dir = PackagedApp.workDir();
		int[] exit = new int[1];
		Report report;
		try (PackagedApp app = start(dir)) {
			report = loadUntil(app, () -> exit[0] = app.terminate(Duration.ofSeconds(40)));
			assertThat(app.log()).doesNotContain("could not log");
		}
		assertThat(exit[0]).as("exit status after SIGTERM").isIn(0, 143);
		assertThat(report.serverErrors().keySet()).as("5xx other than 'stopping'").allMatch(status -> status == 503);
		Path db = dir.resolve("mlpages.db");
		assertThat(integrityCheck(db)).isEqualTo("ok");
		assertThat(missing(db, report.predictionIds())).as("answered ids without a row").isEmpty();
	}

	/**
	 * The admin logged in, then the load for five seconds, then the fault, then the load
	 * until its clients stop.
	 */
	private Report loadUntil(PackagedApp app, Fault fault) throws Exception {
		MixedLoad load = new MixedLoad(app.base(), password);
		load.logInTheAdmin();
		AtomicBoolean stop = new AtomicBoolean();
		List<Throwable> faultFailures = new CopyOnWriteArrayList<>();
		Thread faulting = new Thread(() -> {
			try {
				Thread.sleep(5_000);
				fault.happen();
				Thread.sleep(1_000);
			}
			catch (Throwable ex) {
				faultFailures.add(ex);
			}
			finally {
				stop.set(true);
			}
		});
		faulting.start();
		Report report = load.run(CLIENTS, Duration.ofMinutes(2), stop::get);
		faulting.join();
		assertThat(faultFailures).isEmpty();
		return report;
	}

	@FunctionalInterface
	private interface Fault {

		void happen() throws Exception;

	}

	private PackagedApp start(Path dir) throws Exception {
		return start(dir, PackagedApp.freePort());
	}

	/** The jar with the systemd unit's Java options and environment, on SQLite. */
	private PackagedApp start(Path dir, int port, String... arguments) throws Exception {
		return startAsTheUnitDoes(dir, port, password, shippedSqliteUrl(dir), arguments);
	}

	/** A SQLite file in this folder, with the options of the URL the app ships with. */
	static String shippedSqliteUrl(Path dir) {
		return "jdbc:sqlite:" + dir.resolve("mlpages.db") + "?" + SHIPPED_SQLITE_OPTIONS;
	}

	/**
	 * The jar started as the systemd unit starts it ({@link UnitStart}), on this
	 * database, with this admin password and {@code mlpages.load.java-options} and
	 * {@code mlpages.load.app-args}.
	 */
	static PackagedApp startAsTheUnitDoes(Path dir, int port, String password, String databaseUrl, String... arguments)
			throws Exception {
		UnitStart unit = UnitStart.prepared()
			.withEnvironment("JAVA_TOOL_OPTIONS", System.getProperty("mlpages.load.java-options", ""))
			.with("--mlpages.admin.password-hash={noop}" + password)
			.with(arguments);
		String more = System.getProperty("mlpages.load.app-args", "").strip();
		if (!more.isEmpty()) {
			unit = unit.with(more.split("\\s+"));
		}
		return unit.start(dir, port, databaseUrl);
	}

	/**
	 * The options of the SQLite URL the app ships with (WAL, its sync level, its busy
	 * wait): the load meets the database as it is on a server.
	 */
	private static final String SHIPPED_SQLITE_OPTIONS = shippedSqliteOptions();

	private static String shippedSqliteOptions() {
		try {
			for (String line : Files.readAllLines(Path.of("src/main/resources/application.yml"))) {
				if (line.strip().startsWith("url: jdbc:sqlite:")) {
					return line.substring(line.indexOf('?') + 1).strip();
				}
			}
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		throw new IllegalStateException("no SQLite URL in application.yml");
	}

	private static boolean grew(long before, long after) {
		return after >= before + before / 20;
	}

	private static long memoryHighMegabytes() throws IOException {
		String high = ServiceUnit.shipped().one("MemoryHigh");
		assertThat(high).endsWith("M");
		return Long.parseLong(high.substring(0, high.length() - 1));
	}

	private static HttpResponse<String> creditDecision(PackagedApp app) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(app.uri("/api/v1/models/credit/predictions"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofFile(Path.of("src/test/resources/credit/applicant.json")))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * The photos in the uploads folder once the clean-up after the restart has removed
	 * those whose row the kill lost: each then has its row.
	 */
	private static Set<String> waitForNoPhotoWithoutItsRow(Path db, Path uploads) throws Exception {
		Set<String> photos = Set.of();
		for (int attempt = 0; attempt < 60; attempt++) {
			photos = photos(uploads);
			Set<String> rows = storedFiles(db);
			if (rows.containsAll(photos)) {
				return photos;
			}
			Thread.sleep(500);
		}
		Set<String> stray = new HashSet<>(photos);
		stray.removeAll(storedFiles(db));
		throw new AssertionError("photos without a row 30 s after the restart: " + stray);
	}

	private static Set<String> photos(Path uploads) throws IOException {
		try (Stream<Path> files = Files.list(uploads)) {
			return files.map(file -> file.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
		}
	}

	static long rows(Path db) throws SQLException {
		return log(db).count();
	}

	private static PredictionRows log(Path db) {
		return new PredictionRows(() -> DriverManager.getConnection("jdbc:sqlite:" + db));
	}

	private static Set<String> storedFiles(Path db) throws SQLException {
		Set<String> names = new HashSet<>();
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
				Statement statement = connection.createStatement();
				ResultSet files = statement
					.executeQuery("select stored_file from prediction where stored_file is not null")) {
			while (files.next()) {
				names.add(files.getString(1));
			}
		}
		return names;
	}

	static Set<Long> missing(Path db, Set<Long> ids) throws SQLException {
		return log(db).missing(ids);
	}

	private static String integrityCheck(Path db) throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
				Statement statement = connection.createStatement();
				ResultSet check = statement.executeQuery("pragma integrity_check")) {
			check.next();
			return check.getString(1);
		}
	}

	/** The highest RSS seen, sampled every 200 ms while a run lasts. */
	private static final class RssSampler {

		private final Thread thread;

		private volatile boolean running = true;

		private volatile long peak;

		RssSampler(PackagedApp app) {
			thread = new Thread(() -> {
				while (running) {
					try {
						peak = Math.max(peak, Footprint.rssMegabytes(app));
						Thread.sleep(200);
					}
					catch (IOException | InterruptedException ex) {
						return;
					}
				}
			});
			thread.start();
		}

		long peak() {
			return peak;
		}

		void stop() throws InterruptedException {
			running = false;
			thread.join();
		}

	}

	/**
	 * The About page and the health endpoint, asked twice a second while the load runs:
	 * how long a person or a load balancer waits for them.
	 */
	private static final class Probes {

		private final Thread thread;

		private final List<Double> ms = new CopyOnWriteArrayList<>();

		private final List<String> failures = new CopyOnWriteArrayList<>();

		private volatile boolean running = true;

		Probes(PackagedApp app) {
			HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			thread = new Thread(() -> {
				int i = 0;
				while (running) {
					String path = i++ % 2 == 0 ? "/about" : "/actuator/health";
					long start = System.nanoTime();
					try {
						HttpResponse<String> response = http.send(
								HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(30)).build(),
								HttpResponse.BodyHandlers.ofString());
						ms.add((System.nanoTime() - start) / 1e6);
						if (response.statusCode() != 200) {
							failures.add(path + " answered " + response.statusCode());
						}
						Thread.sleep(500);
					}
					catch (IOException ex) {
						failures.add(path + ": " + ex);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			});
			thread.start();
		}

		void stop() throws InterruptedException {
			running = false;
			thread.join();
		}

		double median() {
			double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
			return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
		}

		double slowest() {
			return ms.stream().mapToDouble(Double::doubleValue).max().orElse(0);
		}

		List<String> failures() {
			return failures;
		}

		String summary() {
			double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
			return String.format(java.util.Locale.ROOT,
					"About page and health: %d answers, median %.0f ms, slowest %.0f ms", sorted.length,
					sorted.length == 0 ? 0 : sorted[sorted.length / 2], slowest());
		}

	}

}
