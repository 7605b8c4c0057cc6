package org.mlpages.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jsoup.Jsoup;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.mlpages.MlPagesApplication;
import org.mlpages.config.MariaDbDatabase;
import org.mlpages.history.RetentionJob;
import org.mlpages.monitoring.WrittenLines;
import org.mlpages.tabular.TabularModels;
import org.mlpages.web.Multipart;
import org.mlpages.web.TestModels;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two whole instances of the app on one MariaDB database, as two machines behind a load
 * balancer that sends each request wherever it likes (no sticky sessions). A browser's
 * cookie goes to both (same host, two ports, as behind one Nginx). What a person does on
 * one holds on the other: the admin's login and logout, a form's CSRF token, the photo
 * result only its sender may see; and the hourly retention runs on one of them.
 */
@ExtendWith({ MariaDbDatabase.class, OutputCaptureExtension.class })
class TwoInstancesOnOneDatabaseTests {

	private static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();

	private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private HttpClient browser;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int ROWS = 6000;

	private static final Path MODELS = Path.of("target/two-instances/models");

	@BeforeAll
	static void startTwoInstances() throws IOException {
		TestModels.prepare();
		FileSystemUtils.deleteRecursively(MODELS);
		Files.createDirectories(MODELS);
		for (String file : List.of(TestModels.REFERENCE + ".h5", TestModels.REFERENCE + ".yml", "credit.model",
				"credit.yml", "credit.report.json")) {
			Files.copy(TestModels.DIR.resolve(file), MODELS.resolve(file));
		}
		for (String name : List.of("a", "b")) {
			instances.add(start(name));
		}
	}

	private static ConfigurableApplicationContext start(String name) {
		Path data = Path.of("target/two-instances", name);
		return new SpringApplicationBuilder(MlPagesApplication.class).run("--spring.profiles.active=test",
				"--server.port=0",
				"--spring.datasource.url=jdbc:mysql://" + MariaDbDatabase.host() + ":" + MariaDbDatabase.port() + "/"
						+ MariaDbDatabase.name(),
				"--spring.datasource.username=" + MariaDbDatabase.name(),
				"--spring.datasource.password=" + MariaDbDatabase.password(), "--mlpages.data-dir=" + data,
				"--mlpages.cache-dir=" + data.resolve("cache"),
				// the photos and models on a volume both share, as the guide says
				"--mlpages.uploads-dir=target/two-instances/uploads", "--mlpages.models-dir=" + MODELS,
				"--mlpages.batch.work-dir=target/two-instances/batches", "--mlpages.models-refresh=1s",
				// a batch whose instance died is taken over within seconds, not minutes
				"--mlpages.batch.lease=4s", "--mlpages.sessions.in-database=true", "--mlpages.admin.username=boss",
				"--mlpages.admin.password=" + ADMIN_PASSWORD, "--mlpages.retention.days=30");
	}

	@AfterAll
	static void stopThem() {
		instances.forEach(ConfigurableApplicationContext::close);
		instances.clear();
	}

	@BeforeEach
	void aNewBrowser() {
		browser = newBrowser();
	}

	@Test
	void theAdminLoggedInOnOneIsLoggedInOnTheOtherUntilTheyLogOutThere() {
		HttpResponse<String> login = postForm(browser, 0, "/login",
				"username=boss&password=" + ADMIN_PASSWORD + "&_csrf=" + csrfToken(0, "/login"));
		assertThat(login.statusCode()).isEqualTo(302);

		HttpResponse<String> history = get(browser, 1, "/history");
		assertThat(history.statusCode()).as("the history page on the other instance").isEqualTo(200);
		assertThat(Jsoup.parse(history.body()).select("table").size()).isPositive();

		// logged out on the second (with a token from the first): the first no longer
		// knows them either
		HttpResponse<String> logout = postForm(browser, 1, "/logout", "_csrf=" + csrfToken(0, "/history"));
		assertThat(logout.statusCode()).isEqualTo(302);
		HttpResponse<String> after = get(browser, 0, "/history");
		assertThat(after.statusCode()).as("sent to the login page").isEqualTo(302);
		assertThat(after.headers().firstValue("Location").orElse("")).endsWith("/login");
	}

	/**
	 * Failed logins from one address, half on each instance: the tenth blocks it on both,
	 * as on one machine (each instance counting its own, it would have twice the tries).
	 */
	@Test
	void failedLoginsCountOnEveryInstance() {
		String address = "203.0.113." + (1 + new java.util.Random().nextInt(250));
		for (int i = 0; i < 10; i++) {
			HttpResponse<String> failed = loginFrom(i % 2, address, "wrong-" + i);
			assertThat(failed.headers().firstValue("Location").orElse("")).as("failure %d", i).endsWith("/login?error");
		}

		for (int instance : List.of(0, 1)) {
			HttpResponse<String> blocked = loginFrom(instance, address, ADMIN_PASSWORD);
			assertThat(blocked.headers().firstValue("Location").orElse("")).as("instance %d", instance)
				.endsWith("/login?blocked");
		}
		assertThat(loginFrom(1, "198.51.100.9", ADMIN_PASSWORD).headers().firstValue("Location").orElse(""))
			.as("another address")
			.doesNotContain("/login");
	}

	private static HttpResponse<String> loginFrom(int instance, String address, String password) {
		HttpClient client = newBrowser();
		String token = Jsoup
			.parse(send(client, HttpRequest.newBuilder(uri(instance, "/login")).header("X-Forwarded-For", address))
				.body())
			.selectFirst("input[name=_csrf]")
			.attr("value");
		return send(client, HttpRequest.newBuilder(uri(instance, "/login"))
			.header("X-Forwarded-For", address)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=boss&password=" + password + "&_csrf=" + token)));
	}

	@Test
	void aPhotoSentWithTheFormOfOneIsAnsweredByTheOtherAndOnlyItsSenderSeesIt() throws IOException {
		// the page (and its token) from the first, the photo to the second
		String action = Jsoup.parse(get(browser, 0, "/image/" + TestModels.REFERENCE).body())
			.selectFirst("form[enctype=multipart/form-data]")
			.attr("action");
		assertThat(action).contains("_csrf=");
		HttpResponse<String> sent = send(browser, Multipart.file("image", "cat.jpg", photo("nasser0111_cat.jpg"))
			.post(HttpRequest.newBuilder(uri(1, action))));
		assertThat(sent.statusCode()).as("not refused as a forged form").isEqualTo(302);
		String result = URI.create(sent.headers().firstValue("Location").orElseThrow()).getPath();
		assertThat(result).startsWith("/image/" + TestModels.REFERENCE + "/predictions/");

		// its result page, opened on the first
		HttpResponse<String> page = get(browser, 0, result);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(Jsoup.parse(page.body()).select("main").text()).contains("Cat");

		// someone else, on either, does not see it
		HttpClient stranger = newBrowser();
		assertThat(get(stranger, 0, result).statusCode()).isEqualTo(404);
		assertThat(get(stranger, 1, result).statusCode()).isEqualTo(404);
	}

	@Test
	void aModelPublishedOnOneIsServedByTheOtherWithinSecondsAndRetiredAsWell() throws Exception {
		Path onnx = Path.of("src/test/resources/tabular/onnx");
		Files.copy(onnx.resolve("pipeline_strings.onnx"), MODELS.resolve("loans.onnx"));
		Files.copy(onnx.resolve("pipeline_strings.yml"), MODELS.resolve("loans.yml"));
		// what the admin's "Add a model" page does once it has written the files
		instances.get(0).getBean(TabularModels.class).publish("loans");
		assertThat(get(browser, 0, "/tabular/loans").statusCode()).isEqualTo(200);

		assertThat(within(Duration.ofSeconds(20), () -> get(browser, 1, "/tabular/loans").statusCode() == 200))
			.as("the page on the other instance")
			.isTrue();
		assertThat(get(browser, 1, "/api/v1/models").body()).contains("\"loans\"");

		instances.get(0).getBean(TabularModels.class).retire("loans");
		assertThat(within(Duration.ofSeconds(20), () -> get(browser, 1, "/tabular/loans").statusCode() == 404))
			.as("gone from the other instance too")
			.isTrue();
	}

	private static boolean within(Duration limit, java.util.function.BooleanSupplier condition)
			throws InterruptedException {
		long deadline = System.nanoTime() + limit.toNanos();
		while (System.nanoTime() < deadline) {
			if (condition.getAsBoolean()) {
				return true;
			}
			Thread.sleep(200);
		}
		return condition.getAsBoolean();
	}

	@Test
	void aBatchWhoseInstanceStoppedHalfWayIsFinishedByAnotherEachRowScoredOnce() throws Exception {
		ConfigurableApplicationContext third = start("c");
		String batch;
		try {
			Map<String, String> applicant = JSON.readValue(
					Files.readString(Path.of("src/test/resources/credit/applicant.json")),
					new TypeReference<Map<String, String>>() {
					});
			StringBuilder csv = new StringBuilder(String.join(",", applicant.keySet())).append('\n');
			for (int row = 0; row < ROWS; row++) {
				csv.append(String.join(",", applicant.values())).append('\n');
			}
			HttpResponse<String> accepted = send(browser,
					HttpRequest.newBuilder(uri(third, "/api/v1/models/credit/batches"))
						.header("Content-Type", "text/csv")
						.POST(HttpRequest.BodyPublishers.ofString(csv.toString())));
			assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
			batch = accepted.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
			assertThat(within(Duration.ofSeconds(30), () -> scored(batch) > 0)).as("scoring began").isTrue();
		}
		finally {
			third.close();
		}
		int before = scored(batch);
		assertThat(before).as("stopped half-way").isLessThan(ROWS);

		assertThat(within(Duration.ofSeconds(60),
				() -> "DONE"
					.equals(jdbc().queryForObject("select state from batch where id = ?", String.class, batch))))
			.as("finished by another")
			.isTrue();
		assertThat(scored(batch)).isEqualTo(ROWS);
		assertThat(jdbc().queryForList(
				"select batch_row from prediction where batch_id = ? group by batch_row having count(*) > 1",
				Integer.class, batch))
			.as("rows scored twice")
			.isEmpty();
		assertThat(jdbc().queryForObject("select runner from batch where id = ?", String.class, batch))
			.as("the instance that finished it")
			.doesNotEndWith("/c");
	}

	private static int scored(String batch) {
		return jdbc().queryForObject("select count(distinct batch_row) from prediction where batch_id = ?",
				Integer.class, batch);
	}

	@Test
	void theLinkAnApiAnswerCarriesOpensOnTheOtherInstance() throws IOException {
		HttpResponse<String> answer = send(browser, Multipart.file("image", "cat.jpg", photo("nasser0111_cat.jpg"))
			.post(HttpRequest.newBuilder(uri(0, "/api/v1/models/" + TestModels.REFERENCE + "/predictions"))));
		assertThat(answer.statusCode()).isEqualTo(200);
		String link = JSON.readTree(answer.body()).get("explanation").asString();
		assertThat(link).contains("key=");

		HttpResponse<String> map = get(newBrowser(), 1, link);
		assertThat(map.statusCode()).as(map.body()).isEqualTo(200);
		assertThat(get(newBrowser(), 1, link.replaceAll("key=.*", "key=forged")).statusCode()).isEqualTo(404);
	}

	@Test
	void whileTheSessionsCannotBeReadAPageSaysTheDatabaseIsAwayAndTheLoginSurvivesIt() {
		postForm(browser, 0, "/login", "username=boss&password=" + ADMIN_PASSWORD + "&_csrf=" + csrfToken(0, "/login"));
		assertThat(get(browser, 1, "/history").statusCode()).isEqualTo(200);
		jdbc().execute("rename table SPRING_SESSION to SPRING_SESSION_AWAY");
		try {
			HttpResponse<String> away = get(browser, 1, "/history");
			assertThat(away.statusCode()).isEqualTo(503);
			assertThat(away.headers().firstValue("Retry-After")).hasValue("5");
			assertThat(Jsoup.parse(away.body()).text()).contains("nothing was saved").doesNotContain("Exception");
			HttpResponse<String> french = send(browser,
					HttpRequest.newBuilder(uri(0, "/history")).header("Cookie", "mlpages-lang=fr").GET());
			assertThat(french.statusCode()).isEqualTo(503);
			assertThat(Jsoup.parse(french.body()).text()).contains("rien n’a été enregistré");
		}
		finally {
			jdbc().execute("rename table SPRING_SESSION_AWAY to SPRING_SESSION");
		}
		assertThat(get(browser, 0, "/history").statusCode()).as("still logged in").isEqualTo(200);
	}

	/**
	 * The photo form sent while the sessions cannot be read: the page that says the
	 * database is away, in the sender's language, and no prediction made or logged.
	 */
	@Test
	void aPhotoSentWhileTheSessionsCannotBeReadIsToldTheDatabaseIsAwayAndNothingIsLogged() throws IOException {
		String action = Jsoup.parse(get(browser, 0, "/image/" + TestModels.REFERENCE).body())
			.selectFirst("form[enctype=multipart/form-data]")
			.attr("action");
		int rows = jdbc().queryForObject("select count(*) from prediction", Integer.class);
		jdbc().execute("rename table SPRING_SESSION to SPRING_SESSION_AWAY");
		try {
			for (int instance : List.of(0, 1)) {
				HttpResponse<String> sent = send(browser,
						Multipart.file("image", "cat.jpg", photo("nasser0111_cat.jpg"))
							.post(HttpRequest.newBuilder(uri(instance, action)).header("Cookie", "mlpages-lang=fr")));
				assertThat(sent.statusCode()).as("instance %d: %s", instance, sent.body()).isEqualTo(503);
				assertThat(sent.headers().firstValue("Retry-After")).hasValue("5");
				assertThat(Jsoup.parse(sent.body()).text()).contains("rien n’a été enregistré")
					.doesNotContain("Exception");
			}
		}
		finally {
			jdbc().execute("rename table SPRING_SESSION_AWAY to SPRING_SESSION");
		}
		assertThat(jdbc().queryForObject("select count(*) from prediction", Integer.class)).as("rows logged")
			.isEqualTo(rows);
	}

	/**
	 * A session read but not saved (the database gone between the two, made so here by a
	 * trigger that refuses its update) while the app's own page for a refusal goes out:
	 * the page that says the database is away, not the servlet container's 500, which a
	 * page of the app's that failed to be sent had left the request marked for.
	 */
	@Test
	void aPageWhoseSessionCannotBeSavedAsItGoesOutSaysTheDatabaseIsAway() {
		assertThat(get(browser, 0, "/credit").statusCode()).as("a session made").isEqualTo(200);
		jdbc().execute("create trigger session_not_saved before update on SPRING_SESSION for each row"
				+ " signal sqlstate '45000' set message_text = 'the session is not saved'");
		try {
			for (String path : List.of("/image/no-such-model", "/credit")) {
				HttpResponse<String> page = get(browser, 1, path);
				assertThat(page.statusCode()).as(path).isEqualTo(503);
				assertThat(page.headers().firstValue("Retry-After")).as(path).hasValue("5");
				assertThat(Jsoup.parse(page.body()).text()).as(path)
					.contains("nothing was saved")
					.doesNotContain("Exception", "HTTP Status 500");
			}
		}
		finally {
			jdbc().execute("drop trigger session_not_saved");
		}
		assertThat(get(browser, 0, "/credit").statusCode()).as("served again").isEqualTo(200);
	}

	/**
	 * In the database, under a cookie that scripts cannot read and other sites' posts do
	 * not carry, as Tomcat's own session cookie is.
	 */
	@Test
	void theSessionsAreInTheSharedDatabaseUnderAGuardedCookie() {
		HttpResponse<String> login = get(browser, 0, "/login");
		assertThat(jdbc().queryForObject("select count(*) from SPRING_SESSION", Integer.class)).isPositive();
		String cookie = login.headers().firstValue("Set-Cookie").orElse("");
		assertThat(cookie).startsWith("SESSION=").contains("HttpOnly").containsIgnoringCase("SameSite=Lax");
	}

	@Test
	void theHourlyRetentionRunsOnOneInstanceAtATime(CapturedOutput output) throws Exception {
		assertThat(expiredPredictions(3)).isEqualTo(3);
		List<RetentionJob> jobs = instances.stream().map(instance -> instance.getBean(RetentionJob.class)).toList();
		CyclicBarrier together = new CyclicBarrier(jobs.size());
		ExecutorService schedulers = Executors.newFixedThreadPool(jobs.size());
		try {
			List<Future<?>> runs = new ArrayList<>();
			for (RetentionJob job : jobs) {
				runs.add(schedulers.submit(() -> {
					together.await();
					job.scheduled();
					return null;
				}));
			}
			for (Future<?> run : runs) {
				run.get(1, TimeUnit.MINUTES);
			}
		}
		finally {
			schedulers.shutdownNow();
		}
		assertThat(oldRows()).as("expired rows left").isZero();
		assertThat(WrittenLines.of(output).lines().filter(line -> line.contains("Retention: deleted")).count())
			.as("instances that deleted")
			.isOne();

		// within the hour, neither runs it again: rows that expire meanwhile wait
		expiredPredictions(2);
		jobs.forEach(RetentionJob::scheduled);
		assertThat(oldRows()).isEqualTo(2);
		assertThat(jdbc().queryForObject("select count(*) from shedlock where name = 'prediction-retention'",
				Integer.class))
			.isOne();
	}

	/**
	 * Predictions made through the API of both instances, then dated 40 days back.
	 * @return how many were
	 */
	private int expiredPredictions(int count) throws IOException {
		for (int i = 0; i < count; i++) {
			HttpResponse<String> answer = send(browser, Multipart.file("image", "dog.jpg", photo("nasser0111_dog.jpg"))
				.post(HttpRequest.newBuilder(uri(i % 2, "/api/v1/models/" + TestModels.REFERENCE + "/predictions"))));
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		}
		// the log writes in groups: wait for the rows
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (recentRows() < count && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		return jdbc().update("update prediction set created_at = date_sub(utc_timestamp(3), interval 40 day)"
				+ " where created_at > date_sub(utc_timestamp(3), interval 1 day)");
	}

	private int recentRows() {
		return jdbc().queryForObject(
				"select count(*) from prediction where created_at > date_sub(utc_timestamp(3), interval 1 day)",
				Integer.class);
	}

	private int oldRows() {
		return jdbc().queryForObject(
				"select count(*) from prediction where created_at < date_sub(utc_timestamp(3), interval 30 day)",
				Integer.class);
	}

	private static JdbcTemplate jdbc() {
		return instances.get(0).getBean(JdbcTemplate.class);
	}

	private static byte[] photo(String name) throws IOException {
		return Files.readAllBytes(Path.of("src/test/resources/photos", name));
	}

	private String csrfToken(int instance, String path) {
		return Jsoup.parse(get(browser, instance, path).body()).selectFirst("input[name=_csrf]").attr("value");
	}

	private static HttpResponse<String> get(HttpClient client, int instance, String path) {
		return send(client, HttpRequest.newBuilder(uri(instance, path)).GET());
	}

	private static HttpResponse<String> postForm(HttpClient client, int instance, String path, String form) {
		return send(client,
				HttpRequest.newBuilder(uri(instance, path))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(form)));
	}

	private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
		try {
			return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static HttpClient newBrowser() {
		return HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build();
	}

	private static URI uri(int instance, String pathAndQuery) {
		return uri(instances.get(instance), pathAndQuery);
	}

	private static URI uri(ConfigurableApplicationContext instance, String pathAndQuery) {
		int port = ((WebServerApplicationContext) instance).getWebServer().getPort();
		return URI.create("http://localhost:" + port + pathAndQuery);
	}

}
