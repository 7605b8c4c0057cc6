package org.mlpages.jar;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's log as a log shipper reads it: the packaged jar started with
 * {@code logging.structured.format.console=ecs} writes JSON lines, each prediction's with
 * its fields, and no password in any line of a start, a login, a scrape and a few
 * predictions.
 */
class OperatorLogsIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Twenty answers the credit model accepts. */
	private static final String APPLICANT = """
			{"checking_status": "no checking", "duration": 12, "credit_history": "existing paid",
			 "purpose": "radio/tv", "credit_amount": 1800, "savings_status": "100<=X<500", "employment": "4<=X<7",
			 "installment_commitment": 2, "personal_status": "male single", "other_parties": "none",
			 "residence_since": 3, "property_magnitude": "life insurance", "age": 38, "other_payment_plans": "none",
			 "housing": "own", "existing_credits": 1, "job": "skilled", "num_dependents": 1, "own_telephone": "yes",
			 "foreign_worker": "yes"}""";

	@Test
	void jsonLinesCarryEachPredictionsFieldsAndNoSecret() throws Exception {
		String adminPassword = "admin-secret-" + UUID.randomUUID();
		String databasePassword = "db-secret-" + UUID.randomUUID();
		Path dir = PackagedApp.workDir();
		// the credit model alone: the image models' load would add a minute and no line
		// this test reads
		Path models = Files.createDirectories(dir.resolve("models"));
		for (String file : List.of("credit.model", "credit.report.json", "credit.yml")) {
			Files.copy(Path.of("models", file), models.resolve(file));
		}
		List<String> start = new ArrayList<>(PackagedApp.javaJar());
		start.add("--logging.structured.format.console=ecs");
		start.add("--mlpages.models-dir=" + models);
		// SQLite takes the password and ignores it: it stands for a MariaDB one here
		PackagedApp app = PackagedApp.start(start,
				Map.of("MLPAGES_ADMIN_PASSWORD", adminPassword, "SPRING_DATASOURCE_PASSWORD", databasePassword), dir,
				PackagedApp.freePort());
		long id;
		String decision;
		try {
			HttpClient browser = HttpClient.newBuilder()
				.followRedirects(HttpClient.Redirect.NORMAL)
				.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
				.build();
			String login = browser
				.send(HttpRequest.newBuilder(app.uri("/login")).build(), HttpResponse.BodyHandlers.ofString())
				.body();
			String token = login.replaceAll("(?s).*name=\"_csrf\"[^>]*value=\"([^\"]+)\".*", "$1");
			HttpResponse<String> loggedIn = browser.send(HttpRequest.newBuilder(app.uri("/login"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("username=admin&password="
						+ URLEncoder.encode(adminPassword, StandardCharsets.UTF_8) + "&_csrf=" + token))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(loggedIn.uri().getPath()).as("logged in").doesNotStartWith("/login");

			HttpClient client = HttpClient.newHttpClient();
			HttpResponse<String> scrape = client.send(HttpRequest.newBuilder(app.uri("/actuator/prometheus"))
				.header("X-Forwarded-For", "203.0.113.5")
				.header("Authorization",
						"Basic " + Base64.getEncoder()
							.encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8)))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(scrape.statusCode()).isEqualTo(200);

			JsonNode answer = JSON
				.readTree(client.send(api(app, APPLICANT), HttpResponse.BodyHandlers.ofString()).body());
			id = answer.get("id").asLong();
			decision = answer.get("decision").asString();
			assertThat(client.send(api(app, "{}"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
		}
		finally {
			app.close();
		}
		String log = app.log();

		JsonNode answered = jsonLines(log).stream()
			.filter(line -> line.path("prediction_id").asLong() == id)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no JSON line for prediction " + id + " in:\n" + log));
		assertThat(logger(answered)).isEqualTo("org.mlpages.predictions");
		assertThat(answered.get("message").asString()).startsWith("prediction " + id + " answered: model=credit");
		assertThat(answered.get("model").asString()).isEqualTo("credit");
		assertThat(answered.get("channel").asString()).isEqualTo("api");
		assertThat(answered.get("status").asString()).isEqualTo("answered");
		assertThat(answered.get("answer").asString()).isEqualTo(decision);
		assertThat(answered.get("latency_ms").isNumber()).as(answered.toString()).isTrue();
		assertThat(answered.get("latency_ms").asDouble()).isPositive();
		assertThat(answered.toString()).doesNotContain("radio/tv", "male single", "life insurance");

		assertThat(jsonLines(log)).anySatisfy(line -> {
			assertThat(line.path("status").asString()).isEqualTo("refused");
			assertThat(line.path("reason").asString()).isEqualTo("invalid-answers");
			assertThat(line.path("model").asString()).isEqualTo("credit");
		});
		assertThat(log.lines().filter(line -> line.contains("org.mlpages"))).as("every line of the app's is JSON")
			.allSatisfy(line -> assertThat(line).startsWith("{"));
		assertThat(log).as("the whole log").doesNotContain(adminPassword, databasePassword);
		// the console is written from a thread of its own: the stop's last lines are
		// still written before the process ends
		assertThat(log).as("the stop's lines").contains("HikariPool-1 - Shutdown completed");
	}

	private static HttpRequest api(PackagedApp app, String body) {
		return HttpRequest.newBuilder(app.uri("/api/v1/models/credit/predictions"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	/** ECS names the logger "log.logger", nested or not depending on the version. */
	private static String logger(JsonNode line) {
		return line.has("log.logger") ? line.get("log.logger").asString() : line.path("log").path("logger").asString();
	}

	private static List<JsonNode> jsonLines(String log) {
		List<JsonNode> lines = new ArrayList<>();
		for (String line : log.lines().toList()) {
			if (line.startsWith("{")) {
				try {
					lines.add(JSON.readTree(line));
				}
				catch (JacksonException notJson) {
					throw new AssertionError("not a JSON line: " + line, notJson);
				}
			}
		}
		return lines;
	}

}
