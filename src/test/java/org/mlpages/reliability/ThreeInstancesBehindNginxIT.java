package org.mlpages.reliability;

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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import org.flywaydb.core.Flyway;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.mlpages.config.MariaDbDatabase;
import org.mlpages.deploy.NginxSite;
import org.mlpages.jar.PackagedApp;
import org.mlpages.reliability.MixedLoad.Report;
import org.mlpages.web.Multipart;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three instances of the packaged jar, started at once as the unit starts it, on one
 * MariaDB database with their models, photos and batches on a shared folder, behind the
 * shipped Nginx site with one upstream line each (docs/scaling-out.md): no sticky
 * sessions. Through Nginx, the admin keeps their session while their requests land on
 * every instance, a visitor's result page and photo are served by whichever instance, a
 * model put in the shared folder is served by all three; then the mixed load, with one
 * instance killed in its middle: Nginx goes on with the other two, every answered
 * prediction has its row, no request was executed twice; and the hourly retention ran on
 * one of them.
 */
@ExtendWith(MariaDbDatabase.class)
class ThreeInstancesBehindNginxIT {

	private static final int INSTANCES = 3;

	private static final int CLIENTS = 24;

	private static final Duration LOAD = Duration.ofSeconds(30);

	private final String password = "pw-" + UUID.randomUUID();

	private final String url = "jdbc:mysql://" + MariaDbDatabase.host() + ":" + MariaDbDatabase.port() + "/"
			+ MariaDbDatabase.name();

	@Test
	void threeInstancesServeAsOneSiteAndOneCanDie() throws Exception {
		Path nginx = NginxSite.nginx();
		Path dir = PackagedApp.workDir();
		Path shared = sharedFolder(dir.resolve("shared"));
		int expired = expiredPredictionsBeforeTheFirstStart(3);

		List<PackagedApp> apps = startAtOnce(dir, shared);
		List<Integer> ports = apps.stream().map(app -> app.base().getPort()).toList();
		Path prefix = NginxSite.prefix();
		NginxSite.Certificate certificate = NginxSite.selfSigned(prefix, NginxSite.DOMAIN);
		int https = PackagedApp.freePort();
		String site = NginxSite.site(certificate, PackagedApp.freePort(), https, ports, prefix.resolve("webroot"));
		// every client of the load comes from 127.0.0.1: the limits per address would
		// refuse most of it
		assertThat(site).contains("rate=5r/s;", "rate=50r/s;");
		site = site.replace("rate=5r/s;", "rate=100000r/s;").replace("rate=50r/s;", "rate=100000r/s;");
		try (NginxSite nginxSite = NginxSite.start(nginx, prefix, NginxSite.configuration(prefix, site), https)) {
			URI base = URI.create("https://" + NginxSite.DOMAIN + ":" + https);
			SSLContext trust = certificate.trustingIt();

			// the admin's session, wherever each request lands
			HttpClient admin = browser(trust);
			logIn(admin, base);
			for (int i = 0; i < 4 * INSTANCES; i++) {
				assertThat(send(admin, HttpRequest.newBuilder(base.resolve("/history"))).statusCode())
					.as("the history, request %d", i)
					.isEqualTo(200);
			}
			assertThat(instancesThatAnswered(nginxSite, "GET /history 200")).as("instances that served the admin")
				.containsExactlyInAnyOrderElementsOf(ports);

			// the training and "Add a model" pages, whose runs and drafts live in one
			// instance's memory: on the first
			for (int i = 0; i < 2 * INSTANCES; i++) {
				assertThat(send(admin,
						HttpRequest.newBuilder(base.resolve(i % 2 == 0 ? "/training" : "/admin/models/new")))
					.statusCode()).isEqualTo(200);
			}
			assertThat(instancesThatAnswered(nginxSite, "GET /training 200")).containsExactly(ports.get(0));
			assertThat(instancesThatAnswered(nginxSite, "GET /admin/models/new 200")).containsExactly(ports.get(0));

			// a visitor's result page and photo, wherever each request lands
			HttpClient visitor = browser(trust);
			String action = Jsoup
				.parse(send(visitor, HttpRequest.newBuilder(base.resolve("/image/cat_dog_model"))).body())
				.selectFirst("form[enctype=multipart/form-data]")
				.attr("action");
			HttpResponse<String> sent = send(visitor,
					Multipart
						.file("image", "cat.jpg",
								Files.readAllBytes(Path.of("src/test/resources/photos/nasser0111_cat.jpg")))
						.post(HttpRequest.newBuilder(base.resolve(action))));
			assertThat(sent.statusCode()).isEqualTo(302);
			String result = URI.create(sent.headers().firstValue("Location").orElseThrow()).getPath();
			for (int i = 0; i < 2 * INSTANCES; i++) {
				HttpResponse<String> page = send(visitor, HttpRequest.newBuilder(base.resolve(result)));
				assertThat(page.statusCode()).as("the result page, request %d", i).isEqualTo(200);
				String photo = Jsoup.parse(page.body()).select("img.result-photo").attr("src");
				assertThat(photo).startsWith("/uploads/");
				assertThat(send(visitor, HttpRequest.newBuilder(base.resolve(photo))).statusCode())
					.as("its photo, request %d", i)
					.isEqualTo(200);
			}
			assertThat(instancesThatAnswered(nginxSite, "GET " + result + " 200")).as("instances that showed it")
				.hasSizeGreaterThan(1);
			assertThat(send(browser(trust), HttpRequest.newBuilder(base.resolve(result))).statusCode())
				.as("the same page to someone else")
				.isEqualTo(404);

			// a model put in the shared folder, served by each
			for (String extension : List.of(".h5", ".yml")) {
				Files.copy(Path.of("models/cat_dog_model" + extension), shared.resolve("models/pets" + extension));
			}
			for (PackagedApp app : apps) {
				assertThat(within(Duration.ofSeconds(60),
						() -> send(HttpClient.newHttpClient(), HttpRequest.newBuilder(app.uri("/image/pets")))
							.statusCode() == 200))
					.as("the new model's page on %s", app.base())
					.isTrue();
			}

			// the mixed load through Nginx, one instance killed a third of the way in
			long lastIdBefore = lastPredictionId();
			MixedLoad load = new MixedLoad(base, password, trust);
			load.logInTheAdmin();
			AtomicBoolean killed = new AtomicBoolean();
			ExecutorService killer = Executors.newSingleThreadExecutor();
			Future<?> kill = killer.submit(() -> {
				Thread.sleep(LOAD.toMillis() / 3);
				apps.get(1).kill();
				killed.set(true);
				return null;
			});
			Report report = load.run(CLIENTS, LOAD, () -> false);
			kill.get();
			killer.shutdown();
			System.out.printf("ThreeInstancesBehindNginxIT %d s at %d clients, instance on %d killed at %d s:%n%s%n",
					LOAD.toSeconds(), CLIENTS, ports.get(1), LOAD.toSeconds() / 3, report.table(LOAD.toSeconds()));

			assertThat(killed).isTrue();
			// Each client had at most one request in flight when the instance died: a
			// POST it held gets Nginx's 503 page (never sent to another), an answer it
			// was streaming is cut short. Every other request was answered, by the
			// others.
			assertThat(report.failures().size() + report.count(5))
				.as("requests lost with the killed instance: %s", report.failures())
				.isLessThanOrEqualTo(CLIENTS);
			assertThat(report.predictionAnswers()).as("predictions answered").isPositive();
			assertThat(missing(report.predictionIds())).as("answered ids without a row").isEmpty();
			assertThat(duplicatedPhotoRequests(lastIdBefore)).as("photo requests with two rows").isEmpty();
			long rows = rowsAfter(lastIdBefore);
			System.out.printf(
					"ThreeInstancesBehindNginxIT: %d predictions answered, %d rows (the difference: requests"
							+ " the killed instance had logged and not answered)%n",
					report.predictionIds().size(), rows);
			assertThat(rows - report.predictionIds().size()).as("rows whose answer was lost with the killed instance")
				.isBetween(0L, (long) CLIENTS);
			assertThat(instancesThatAnswered(nginxSite, "POST ")).as("instances that took predictions")
				.containsExactlyInAnyOrderElementsOf(ports);

			// the admin's history holds every instance's rows
			String export = send(admin, HttpRequest.newBuilder(base.resolve("/history/export.csv"))).body();
			Set<String> exported = export.lines().map(line -> line.split(",", 2)[0]).collect(Collectors.toSet());
			assertThat(report.predictionIds().stream().map(String::valueOf).filter(id -> !exported.contains(id)))
				.as("answered predictions missing from the history's export")
				.isEmpty();

			// the hourly retention, a minute after the start: on one instance only
			assertThat(within(Duration.ofSeconds(120), () -> expiredRows() == 0)).as("expired rows deleted").isTrue();
			long runs = 0;
			for (PackagedApp app : apps) {
				runs += app.log().lines().filter(line -> line.contains("Retention: deleted " + expired)).count();
			}
			assertThat(runs).as("instances whose retention deleted the expired rows").isOne();
		}
		finally {
			for (PackagedApp app : apps) {
				app.close();
			}
		}
	}

	/** The shipped models, and folders for the photos and batches, shared by all. */
	private static Path sharedFolder(Path shared) throws IOException {
		Files.createDirectories(shared.resolve("models"));
		Files.createDirectories(shared.resolve("uploads"));
		Files.createDirectories(shared.resolve("batches"));
		try (Stream<Path> files = Files.list(Path.of("models"))) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				Files.copy(file, shared.resolve("models").resolve(file.getFileName()));
			}
		}
		return shared;
	}

	private List<PackagedApp> startAtOnce(Path dir, Path shared) throws Exception {
		ExecutorService starting = Executors.newFixedThreadPool(INSTANCES);
		List<Future<PackagedApp>> started = new ArrayList<>();
		for (int i = 0; i < INSTANCES; i++) {
			Path own = Files.createDirectories(dir.resolve("instance-" + i));
			started.add(starting.submit(() -> UnderLoadIT.startAsTheUnitDoes(own, PackagedApp.freePort(), password, url,
					"--spring.datasource.username=" + MariaDbDatabase.name(),
					"--spring.datasource.password=" + MariaDbDatabase.password(),
					"--mlpages.models-dir=" + shared.resolve("models"),
					"--mlpages.uploads-dir=" + shared.resolve("uploads"),
					"--mlpages.batch.work-dir=" + shared.resolve("batches"), "--mlpages.models-refresh=1s",
					"--mlpages.sessions.in-database=true", "--mlpages.retention.days=30")));
		}
		starting.shutdown();
		List<PackagedApp> apps = new ArrayList<>();
		AssertionError failed = null;
		for (Future<PackagedApp> app : started) {
			try {
				apps.add(app.get());
			}
			catch (java.util.concurrent.ExecutionException ex) {
				failed = new AssertionError("an instance did not start", ex.getCause());
			}
		}
		if (failed != null) {
			for (PackagedApp app : apps) {
				app.close();
			}
			throw failed;
		}
		return apps;
	}

	/**
	 * The tables as they were a few releases ago, holding predictions older than the
	 * retention: the instances bring the schema up to date together as they start (each
	 * runs Flyway), and their retention finds these.
	 */
	private int expiredPredictionsBeforeTheFirstStart(int count) throws SQLException {
		Flyway.configure()
			.dataSource(url, MariaDbDatabase.name(), MariaDbDatabase.password())
			.locations("classpath:db/migration/common", "classpath:db/migration/mysql")
			.target("4")
			.load()
			.migrate();
		try (Connection connection = connect();
				PreparedStatement insert = connection.prepareStatement(
						"insert into prediction (created_at, channel, model_name, model_sha256, label, probabilities,"
								+ " inference_ms, latency_ms) values (date_sub(utc_timestamp(3), interval 40 day), 'api',"
								+ " 'cat_dog_model', 'old', 'Cat', '{\"Cat\":0.9,\"Dog\":0.1}', 1, 1)")) {
			for (int i = 0; i < count; i++) {
				insert.executeUpdate();
			}
		}
		return count;
	}

	private long expiredRows() {
		return query("select count(*) from prediction where created_at < date_sub(utc_timestamp(3), interval 30 day)");
	}

	private long lastPredictionId() {
		return query("select coalesce(max(id), 0) from prediction");
	}

	private long rowsAfter(long id) {
		return query("select count(*) from prediction where id > " + id);
	}

	private Set<Long> missing(Set<Long> ids) throws SQLException {
		return new PredictionRows(this::connect).missing(ids);
	}

	/**
	 * The names the load gave its photos, one per request, found on more than one row.
	 */
	private List<String> duplicatedPhotoRequests(long afterId) throws SQLException {
		List<String> names = new ArrayList<>();
		try (Connection connection = connect();
				var rows = connection.createStatement()
					.executeQuery("select original_name from prediction where id > " + afterId
							+ " and original_name is not null group by original_name having count(*) > 1")) {
			while (rows.next()) {
				names.add(rows.getString(1));
			}
		}
		return names;
	}

	private long query(String sql) {
		try (Connection connection = connect(); var result = connection.createStatement().executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Connection connect() throws SQLException {
		return DriverManager.getConnection(url, MariaDbDatabase.name(), MariaDbDatabase.password());
	}

	/** The app ports Nginx's access log names for the requests whose line starts so. */
	private static Set<Integer> instancesThatAnswered(NginxSite site, String request) throws IOException {
		return site.accessLog()
			.stream()
			.filter(line -> line.startsWith(request))
			.map(line -> line.substring(line.indexOf("upstream=") + "upstream=".length()))
			// the last instance tried is the one that answered
			.map(upstreams -> upstreams.substring(upstreams.lastIndexOf(' ') + 1))
			.filter(address -> address.contains(":"))
			.map(address -> Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)))
			.collect(Collectors.toSet());
	}

	private void logIn(HttpClient admin, URI base) {
		String token = Jsoup.parse(send(admin, HttpRequest.newBuilder(base.resolve("/login"))).body())
			.selectFirst("input[name=_csrf]")
			.attr("value");
		HttpResponse<String> login = send(admin, HttpRequest.newBuilder(base.resolve("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=admin&password=" + password + "&_csrf=" + token)));
		assertThat(login.headers().firstValue("Location").orElse("")).as("logged in").endsWith("/history");
	}

	private static HttpClient browser(SSLContext trust) {
		return HttpClient.newBuilder()
			.sslContext(trust)
			.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
			.build();
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

	private static boolean within(Duration limit, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + limit.toNanos();
		while (System.nanoTime() < deadline) {
			if (condition.getAsBoolean()) {
				return true;
			}
			Thread.sleep(500);
		}
		return condition.getAsBoolean();
	}

}
