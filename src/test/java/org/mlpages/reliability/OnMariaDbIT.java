package org.mlpages.reliability;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.mlpages.jar.PackagedApp;
import org.mlpages.reliability.MixedLoad.Report;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar on MariaDB, as the unit runs it, under the mixed load of 200 clients:
 * the same answers and one row per answered prediction as on SQLite. Then the database
 * stopped in the middle of the load and started again: while it is away a prediction gets
 * a 503 saying nothing was saved (the credit decision too: no answer is given whose row
 * cannot be written), health says DOWN, nothing is half-written, and the app serves again
 * by itself once the database is back. The server is one of the test's own
 * ({@link PrivateMariaDb}), so stopping it touches no other test.
 */
class OnMariaDbIT {

	private static final String DATABASE = "mlpages";

	private final String password = "pw-" + UUID.randomUUID();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Test
	void twoHundredClientsGetAnswersAndEveryPredictionHasItsRow() throws Exception {
		Path dir = PackagedApp.workDir();
		try (PrivateMariaDb mariaDb = PrivateMariaDb.start(dir.resolve("mariadb"));
				PackagedApp app = start(dir, mariaDb)) {
			long rowsBefore = rows(mariaDb);
			Report report = new MixedLoad(app.base(), password).run(UnderLoadIT.CLIENTS, UnderLoadIT.RUN, () -> false);
			System.out.printf("OnMariaDbIT %d s at %d clients:%n%s%n", UnderLoadIT.RUN.toSeconds(), UnderLoadIT.CLIENTS,
					report.table(UnderLoadIT.RUN.toSeconds()));

			assertThat(report.failures()).as("requests without an answer").isEmpty();
			assertThat(report.serverErrors()).as("5xx answers: %s", report.unexpectedServerErrors()).isEmpty();
			assertThat(report.count(4)).as("4xx answers to the mix's valid requests").isZero();
			assertThat(report.predictionIds()).hasSize((int) report.predictionAnswers());
			assertThat(rows(mariaDb) - rowsBefore).as("one row per prediction answered")
				.isEqualTo(report.predictionIds().size());
			assertThat(missing(mariaDb, report.predictionIds())).as("answered ids without a row").isEmpty();
		}
	}

	@Test
	void theDatabaseStoppedMidLoadGives503sHealthDownAndTheAppRecoversByItself() throws Exception {
		Path dir = PackagedApp.workDir();
		try (PrivateMariaDb mariaDb = PrivateMariaDb.start(dir.resolve("mariadb"));
				PackagedApp app = start(dir, mariaDb)) {
			MixedLoad load = new MixedLoad(app.base(), password);
			load.logInTheAdmin();
			AtomicBoolean stop = new AtomicBoolean();
			Outage outage = new Outage();
			Thread operator = new Thread(() -> {
				try {
					Thread.sleep(5_000);
					mariaDb.stop();
					outage.seen(app);
					mariaDb.startServer();
					outage.recovery(app);
					Thread.sleep(3_000);
				}
				catch (Exception ex) {
					outage.failure = ex;
				}
				finally {
					stop.set(true);
				}
			});
			operator.start();
			Report report = load.run(50, Duration.ofMinutes(3), stop::get);
			operator.join();
			System.out.printf(
					"OnMariaDbIT the database stopped for %d ms, the app deciding again %d ms after it"
							+ " was back:%n%s%nwithout an answer: %s%n",
					outage.awayMs, outage.recoveryMs, report.table(outage.totalSeconds()), report.failures());

			assertThat(outage.failure).as("the outage ran as planned").isNull();
			assertThat(outage.healthWhileAway).as("health while the database is away").isEqualTo(503);
			assertThat(outage.healthBodyWhileAway).contains("\"status\":\"DOWN\"");
			assertThat(outage.decisionWhileAway.statusCode()).as("a credit decision while it is away").isEqualTo(503);
			assertThat(outage.decisionWhileAway.headers().firstValue("Retry-After")).isPresent();
			assertThat(outage.decisionWhileAway.body()).contains("nothing was saved");
			assertThat(report.serverErrors().keySet()).as("5xx other than 503: %s", report.unexpectedServerErrors())
				.containsOnly(503);
			assertThat(report.failures()).as("requests without an answer, 503s without Retry-After").isEmpty();
			assertThat(app.log()).contains("could not log");
			assertThat(missing(mariaDb, report.predictionIds())).as("answered ids without a row").isEmpty();
			assertThat(halfWritten(mariaDb)).as("rows without their answer").isZero();
		}
	}

	/**
	 * What the operator sees while the database is away, and how long it takes to come
	 * back.
	 */
	private final class Outage {

		volatile Exception failure;

		volatile int healthWhileAway;

		volatile String healthBodyWhileAway = "";

		volatile HttpResponse<String> decisionWhileAway;

		volatile long awayMs;

		volatile long recoveryMs;

		private long stoppedAt;

		void seen(PackagedApp app) throws Exception {
			stoppedAt = System.nanoTime();
			Thread.sleep(2_000);
			HttpResponse<String> health = http.send(HttpRequest.newBuilder(app.uri("/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
			healthWhileAway = health.statusCode();
			healthBodyWhileAway = health.body();
			decisionWhileAway = creditDecision(app);
			awayMs = (System.nanoTime() - stoppedAt) / 1_000_000;
		}

		void recovery(PackagedApp app) throws Exception {
			long back = System.nanoTime();
			Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
			while (creditDecision(app).statusCode() != 200) {
				if (Instant.now().isAfter(giveUp)) {
					throw new AssertionError("no credit decision a minute after the database came back");
				}
				Thread.sleep(250);
			}
			recoveryMs = (System.nanoTime() - back) / 1_000_000;
		}

		long totalSeconds() {
			return Math.max(1, 5 + (awayMs + recoveryMs) / 1000 + 3);
		}

	}

	private HttpResponse<String> creditDecision(PackagedApp app) throws Exception {
		return http.send(HttpRequest.newBuilder(app.uri("/api/v1/models/credit/predictions"))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofFile(Path.of("src/test/resources/credit/applicant.json")))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private PackagedApp start(Path dir, PrivateMariaDb mariaDb) throws Exception {
		return UnderLoadIT.startAsTheUnitDoes(dir, PackagedApp.freePort(), password, mariaDb.url(DATABASE),
				"--spring.datasource.username=root", "--spring.datasource.password=");
	}

	private static long rows(PrivateMariaDb mariaDb) throws SQLException {
		return log(mariaDb).count();
	}

	private static Set<Long> missing(PrivateMariaDb mariaDb, Set<Long> ids) throws SQLException {
		return log(mariaDb).missing(ids);
	}

	private static long halfWritten(PrivateMariaDb mariaDb) throws SQLException {
		return log(mariaDb).halfWritten();
	}

	private static PredictionRows log(PrivateMariaDb mariaDb) {
		return new PredictionRows(() -> mariaDb.connect(DATABASE));
	}

}
