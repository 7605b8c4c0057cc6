package org.mlpages.history;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.dialect.MySQLDialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.mlpages.config.MariaDbDatabase;
import org.mlpages.monitoring.WrittenLines;
import org.mlpages.web.TestModels;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole prediction-log path on a real MySQL-compatible server (MariaDB in CI),
 * configured the way a Streamlit user would: a {@code .streamlit/secrets.toml} with a
 * {@code [connections.*]} table, read through MySQL Connector/J with a database user and
 * password of its own. Flyway builds the schema from the MySQL scripts; predictions go in
 * through the real API and come back through JPA and the history page.
 * <p>
 * The JVM runs in a zone far from UTC here, to show that created_at does not depend on
 * it.
 */
@ExtendWith({ MariaDbDatabase.class, OutputCaptureExtension.class })
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.import=file:target/mariadb-test/.streamlit/secrets.toml",
				// exposed here only to prove the values stay masked if someone exposes
				// them
				"management.endpoints.web.exposure.include=health,info,env,configprops" })
@ActiveProfiles("test")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class MariaDbPredictionLogTests {

	private static final Path SECRETS = Path.of("target/mariadb-test/.streamlit/secrets.toml");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();

	private static TimeZone zoneBefore;

	private final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NORMAL)
		.cookieHandler(new java.net.CookieManager(null, java.net.CookiePolicy.ACCEPT_ALL))
		.build();

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	EntityManagerFactory entityManagerFactory;

	@Autowired
	PredictionLog predictionLog;

	@BeforeAll
	static void writeTheSecretsFile() {
		TestModels.prepare();
		zoneBefore = TimeZone.getDefault();
		TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
		MariaDbDatabase.write(SECRETS, """
				[connections.mlpages]
				dialect = "mariadb"
				host = "%s"
				port = %d
				database = "%s"
				username = "%s"
				password = "%s"

				[admin]
				username = "boss"
				password = "%s"
				""".formatted(MariaDbDatabase.host(), MariaDbDatabase.port(), MariaDbDatabase.name(),
				MariaDbDatabase.name(), MariaDbDatabase.password(), ADMIN_PASSWORD));
	}

	@AfterAll
	static void restoreTheZoneAndForgetTheSecrets() throws IOException {
		TimeZone.setDefault(zoneBefore);
		Files.deleteIfExists(SECRETS);
	}

	@Test
	void theAppRunsOnTheServerThroughConnectorJWithMySqlsDialectAndFlywaysMySqlScripts() {
		HikariDataSource hikari = (HikariDataSource) dataSource;
		assertThat(hikari.getJdbcUrl()).isEqualTo(
				"jdbc:mysql://" + MariaDbDatabase.host() + ":" + MariaDbDatabase.port() + "/" + MariaDbDatabase.name());
		assertThat(hikari.getUsername()).isEqualTo(MariaDbDatabase.name());
		assertThat(jdbc.queryForObject("select database()", String.class)).isEqualTo(MariaDbDatabase.name());
		assertThat(entityManagerFactory.unwrap(SessionFactoryImplementor.class).getJdbcServices().getDialect())
			.isInstanceOf(MySQLDialect.class);
		assertThat(
				jdbc.queryForList("select version, script, success from flyway_schema_history order by installed_rank"))
			.extracting(row -> row.get("version") + " " + row.get("script") + " " + row.get("success"))
			.containsExactly("1 V1__prediction_log.sql true", "2 V2__prediction_kinds.sql true",
					"3 V3__prediction_feedback.sql true", "4 V4__credit_probabilities_by_answer.sql true",
					"5 org.mlpages.history.TopProbabilityMigration true", "6 V6__prediction_explanation.sql true",
					"7 V7__batches.sql true", "8 V8__photo_batches.sql true",
					"9 V9__shared_sessions_and_job_locks.sql true", "10 V10__batch_runner_lease.sql true",
					"11 V11__generated_secrets.sql true", "12 V12__login_failures.sql true");
		assertThat(
				jdbc.queryForObject("select data_type from information_schema.columns where table_schema = database()"
						+ " and table_name = 'prediction' and column_name = 'id'", String.class))
			.isEqualTo("bigint");
	}

	@Test
	void anImagePredictionIsLoggedAndReadBackUnchanged() throws Exception {
		byte[] photo = Files.readAllBytes(Path.of("src/test/resources/photos/nasser0111_cat.jpg"));
		HttpResponse<String> response = send(
				multipart("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image", "chat été.jpg", photo));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = JSON.readTree(response.body());
		long id = body.get("id").asLong();
		Instant created = Instant.parse(body.get("createdAt").asString()).truncatedTo(ChronoUnit.MILLIS);
		Map<String, Double> probabilities = JSON.convertValue(body.get("probabilities"), new TypeReference<>() {
		});

		Map<String, Object> row = jdbc.queryForMap("select id, kind, model_name, original_name, label, probabilities,"
				+ " date_format(created_at, '%Y-%m-%d %H:%i:%s.%f') as utc from prediction where id = ?", id);
		assertThat(((Number) row.get("id")).longValue()).isEqualTo(id);
		assertThat(row.get("kind")).isEqualTo("image");
		assertThat(row.get("model_name")).isEqualTo(TestModels.REFERENCE);
		assertThat(row.get("original_name")).isEqualTo("chat été.jpg");
		assertThat(row.get("label")).isEqualTo(body.get("label").asString());
		assertThat(JSON.readValue((String) row.get("probabilities"), new TypeReference<Map<String, Double>>() {
		})).isEqualTo(probabilities);
		// the server holds the instant in UTC, whatever the JVM's zone (here UTC+14)
		assertThat(row.get("utc")).isEqualTo(
				DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS000").withZone(ZoneOffset.UTC).format(created));

		Prediction read = predictionLog.find(id).orElseThrow();
		assertThat(read.getCreatedAt()).isEqualTo(created);
		assertThat(read.getProbabilities()).isEqualTo(probabilities);
		assertThat(read.getLabel()).isEqualTo(body.get("label").asString());
		assertThat(predictionLog.latest(10)).extracting(Prediction::getId).contains(id);

		// where the model looked, kept with the prediction map by map, never over a newer
		// list
		assertThat(predictionLog.explanationJson(id)).isEmpty();
		assertThat(predictionLog.recordExplanation(id, "[\"first\"]", null)).isTrue();
		assertThat(predictionLog.recordExplanation(id, "[\"other\"]", null)).as("a first map kept already").isFalse();
		assertThat(predictionLog.recordExplanation(id, "[\"first\",\"second\"]", "[\"first\"]")).isTrue();
		assertThat(predictionLog.recordExplanation(id, "[\"first\",\"third\"]", "[\"first\"]"))
			.as("read before the second was added")
			.isFalse();
		assertThat(predictionLog.explanationJson(id)).hasValue("[\"first\",\"second\"]");
	}

	/** Every column as it was logged, the JVM's zone far from the server's UTC. */
	@Test
	void aPredictionIsReadBackAsItWasLoggedColumnByColumn() {
		PredictionRecord image = PredictionRowTests.imageRecord();
		PredictionRecord batchRow = PredictionRowTests.tabularRecord().inBatch("batch-0002", 3);

		assertThat(predictionLog.find(predictionLog.record(image).getId()).orElseThrow().getRecord()).isEqualTo(image);
		assertThat(predictionLog.find(predictionLog.recordAll(List.of(batchRow))[0]).orElseThrow().getRecord())
			.isEqualTo(batchRow);
	}

	/**
	 * The history's export and pages read the log in slices, each starting after the last
	 * row of the one before: rows logged within the same second as that row, by several
	 * instances whose clocks and ids disagree, are all read.
	 */
	@Test
	void slicesOfTheHistoryLoseNoRowWithinOneSecond() {
		String[] times = { "10:00:00.900", "10:00:00.100", "10:00:00.500", "10:00:00.500", "10:00:00.300",
				"10:00:00.700", "10:00:01.200", "09:59:59.950" };
		List<Long> ids = new java.util.ArrayList<>();
		for (String time : times) {
			jdbc.update("insert into prediction (created_at, channel, model_name, model_sha256, label, probabilities,"
					+ " inference_ms, latency_ms) values (?, 'api', 'slices', 'x', 'Cat', '{\"Cat\":1.0}', 1, 1)",
					"2026-01-01 " + time);
			ids.add(jdbc.queryForObject("select max(id) from prediction", Long.class));
		}
		HistoryFilter slices = new HistoryFilter("slices", null, null, null, null, null);
		List<Long> read = new java.util.ArrayList<>();
		List<Prediction> slice = predictionLog.newestAfter(slices, null, 2, java.time.ZoneOffset.UTC);
		while (!slice.isEmpty()) {
			slice.forEach(row -> read.add(row.getId()));
			slice = predictionLog.newestAfter(slices, slice.get(slice.size() - 1), 2, java.time.ZoneOffset.UTC);
		}
		assertThat(read).as("every row once, newest first")
			.hasSameSizeAs(times)
			.containsExactlyInAnyOrderElementsOf(ids);
		assertThat(read.get(0)).isEqualTo(ids.get(6));
		assertThat(read.get(read.size() - 1)).isEqualTo(ids.get(7));
	}

	@Test
	void aCreditDecisionIsLoggedWithItsAnswersAndThreshold() throws Exception {
		String answers = Files.readString(Path.of("src/test/resources/credit/applicant.json"));
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/models/credit/predictions"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(answers)));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		long id = JSON.readTree(response.body()).get("id").asLong();
		Prediction read = predictionLog.find(id).orElseThrow();
		assertThat(read.getKind()).isEqualTo("tabular");
		assertThat(read.getThreshold()).isNotNull();
		assertThat(JSON.readTree(read.getInputJson())).isEqualTo(JSON.readTree(answers));
		assertThat(read.getProbabilities().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
				org.assertj.core.data.Offset.offset(1e-9));
	}

	@Test
	void theHistoryPageListsWhatTheServerHolds() throws Exception {
		byte[] photo = Files.readAllBytes(Path.of("src/test/resources/photos/nasser0111_dog.jpg"));
		HttpResponse<String> logged = send(
				multipart("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image", "dog.jpg", photo));
		long id = JSON.readTree(logged.body()).get("id").asLong();

		logInAsTheSecretsFilesAdmin();
		HttpResponse<String> history = send(HttpRequest.newBuilder(uri("/history")).GET());

		assertThat(history.statusCode()).isEqualTo(200);
		assertThat(history.body()).contains("/image/" + TestModels.REFERENCE + "/predictions/" + id);
	}

	@Test
	void loadingKerasFilesLogsNoJhdfPaddingWarnings(CapturedOutput output) throws Exception {
		byte[] photo = Files.readAllBytes(Path.of("src/test/resources/photos/nasser0111_cat.jpg"));
		// a photo waits for its model: once answered, every shipped .h5 of the folder has
		// been read
		assertThat(send(multipart("/api/v1/models/" + TestModels.RETRAINED + "/predictions", "image", "cat.jpg", photo))
			.statusCode()).isEqualTo(200);

		assertThat(WrittenLines.of(output)).as("start-up logs")
			.contains("Model " + TestModels.RETRAINED + " ready")
			.doesNotContain("buffer still has");
	}

	@Test
	void noPasswordAppearsInPagesErrorsActuatorOrLogs(CapturedOutput output) {
		logInAsTheSecretsFilesAdmin();
		List<String> paths = List.of("/", "/about", "/history", "/no-such-page", "/image/no-such-model",
				"/actuator/env", "/actuator/env/spring.datasource.password", "/actuator/env/mlpages.admin.password",
				"/actuator/configprops", "/actuator/health", "/actuator/prometheus");
		for (String path : paths) {
			HttpResponse<String> response = send(
					HttpRequest.newBuilder(uri(path)).header("Accept", "text/html,*/*").GET());
			assertThat(response.body()).as(path)
				.doesNotContain(MariaDbDatabase.password())
				.doesNotContain(ADMIN_PASSWORD);
		}
		HttpResponse<String> env = send(HttpRequest.newBuilder(uri("/actuator/env/spring.datasource.password")).GET());
		assertThat(env.statusCode()).isEqualTo(200);
		assertThat(env.body()).contains("******");
		assertThat(WrittenLines.of(output)).as("start-up and request logs")
			.contains("HikariPool")
			.doesNotContain(MariaDbDatabase.password())
			.doesNotContain(ADMIN_PASSWORD);
	}

	/**
	 * The [admin] table of the TOML file is the account; the history and actuator need
	 * it.
	 */
	private void logInAsTheSecretsFilesAdmin() {
		String token = org.jsoup.Jsoup.parse(send(HttpRequest.newBuilder(uri("/login")).GET()).body())
			.selectFirst("input[name=_csrf]")
			.attr("value");
		HttpResponse<String> login = send(HttpRequest.newBuilder(uri("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=boss&password=" + ADMIN_PASSWORD + "&_csrf=" + token)));
		assertThat(login.uri().getPath()).as("logged in as the secrets file's admin").isEqualTo("/history");
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + port + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private HttpRequest.Builder multipart(String path, String field, String fileName, byte[] content) {
		String boundary = "----mlpages" + UUID.randomUUID();
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
				+ fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
			.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		out.writeBytes(content);
		out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
		return HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()));
	}

}
