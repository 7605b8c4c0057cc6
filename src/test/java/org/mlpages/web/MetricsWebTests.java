package org.mlpages.web;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.mlpages.monitoring.PrometheusText;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The metrics an operator's Prometheus scrapes: who may read them, and that they count
 * what the app did.
 */
class MetricsWebTests extends WebTestSupport {

	private static final String METRICS = "/actuator/prometheus";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient scraper = HttpClient.newHttpClient();

	@Test
	void theServerItselfReadsTheMetricsWithoutLoggingIn() {
		HttpResponse<String> scrape = scrape();

		assertThat(scrape.statusCode()).isEqualTo(200);
		assertThat(scrape.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
		PrometheusText metrics = PrometheusText.parse(scrape.body());
		assertThat(metrics.value("mlpages_model_state", "model", TestModels.REFERENCE, "state", "ready")).isEqualTo(1);
		assertThat(metrics.value("mlpages_model_state", "model", TestModels.REFERENCE, "state", "failed")).isZero();
		assertThat(metrics.value("mlpages_model_state", "model", "credit", "state", "ready")).isEqualTo(1);
		assertThat(metrics.value("mlpages_inference_capacity", "model", TestModels.REFERENCE)).isPositive();
		assertThat(metrics.has("mlpages_inference_queued", "model", TestModels.REFERENCE)).isTrue();
		assertThat(metrics.has("mlpages_image_decode_queued")).isTrue();
	}

	@Test
	void aRequestRelayedFromTheInternetIsRefused() {
		// as Nginx relays a visitor: Tomcat takes 203.0.113.7 as the client's address
		HttpResponse<String> relayed = send(
				HttpRequest.newBuilder(uri(METRICS)).header("X-Forwarded-For", "203.0.113.7"), scraper);

		assertThat(relayed.statusCode()).isEqualTo(401);
		assertThat(relayed.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Basic"));
		assertThat(relayed.body()).doesNotContain("mlpages_");
		HttpResponse<String> slash = send(
				HttpRequest.newBuilder(uri(METRICS + "/")).header("X-Forwarded-For", "203.0.113.7"), scraper);
		assertThat(slash.body()).as("another spelling of the path").doesNotContain("mlpages_");
	}

	@Test
	void aRequestTheProxyRelaysForTheServerItselfIsRefusedToo() {
		// curl https://the-site/actuator/prometheus on the server: Nginx relays it from
		// and for the loopback
		HttpResponse<String> relayed = send(HttpRequest.newBuilder(uri(METRICS))
			.header("X-Forwarded-For", "127.0.0.1")
			.header("X-Forwarded-Proto", "https"), scraper);
		HttpResponse<String> realIp = send(HttpRequest.newBuilder(uri(METRICS)).header("X-Real-IP", "127.0.0.1"),
				scraper);

		assertThat(relayed.statusCode()).isEqualTo(401);
		assertThat(realIp.statusCode()).isEqualTo(401);
	}

	@Test
	void anotherAddressThanTheLoopbackIsRefused() throws SocketException {
		Optional<InetAddress> address = nonLoopbackAddress();
		assumeThat(address).as("a network address besides the loopback on this machine").isPresent();

		HttpResponse<String> fromTheNetwork = send(
				HttpRequest.newBuilder(URI.create("http://" + address.get().getHostAddress() + ":" + port + METRICS)),
				scraper);

		assertThat(fromTheNetwork.statusCode()).isEqualTo(401);
	}

	@Test
	void theAdminsCredentialsReadThemFromAnywhere() {
		HttpResponse<String> withPassword = send(HttpRequest.newBuilder(uri(METRICS))
			.header("X-Forwarded-For", "192.0.2.1")
			.header("Authorization", basic("admin", ADMIN_PASSWORD)), scraper);
		HttpResponse<String> wrongPassword = send(HttpRequest.newBuilder(uri(METRICS))
			.header("X-Forwarded-For", "192.0.2.2")
			.header("Authorization", basic("admin", "guess")), scraper);

		assertThat(withPassword.statusCode()).isEqualTo(200);
		assertThat(withPassword.body()).contains("mlpages_model_state");
		assertThat(withPassword.headers().allValues("Set-Cookie")).as("no session for a scraper").isEmpty();
		assertThat(wrongPassword.statusCode()).isEqualTo(401);
		assertThat(wrongPassword.body()).doesNotContain("mlpages_");
	}

	@Test
	void tenWrongPasswordsBlockTheAddressAsOnTheLoginPage() {
		// the login tests block addresses of the two other documentation ranges
		String address = "192.0.2." + (int) (Math.random() * 240 + 10);
		for (int i = 0; i < 10; i++) {
			assertThat(send(HttpRequest.newBuilder(uri(METRICS))
				.header("X-Forwarded-For", address)
				.header("Authorization", basic("admin", "guess-" + i)), scraper).statusCode()).isEqualTo(401);
		}

		HttpResponse<String> blocked = send(HttpRequest.newBuilder(uri(METRICS))
			.header("X-Forwarded-For", address)
			.header("Authorization", basic("admin", ADMIN_PASSWORD)), scraper);

		assertThat(blocked.statusCode()).isEqualTo(429);
		assertThat(blocked.body()).doesNotContain("mlpages_");
	}

	@Test
	void theOtherActuatorEndpointsKeepTheirRules() {
		assertThat(send(HttpRequest.newBuilder(uri("/actuator/health")), scraper).statusCode()).isEqualTo(200);
		HttpResponse<String> env = send(HttpRequest.newBuilder(uri("/actuator/env")), scraper);
		HttpResponse<String> metrics = send(HttpRequest.newBuilder(uri("/actuator/metrics")), scraper);

		assertThat(env.statusCode()).as("to the login page").isEqualTo(302);
		assertThat(metrics.statusCode()).as("to the login page").isEqualTo(302);
	}

	@Test
	void theScrapeCountsRealPredictionsByAnswerWithTheirLatencies() {
		String model = TestModels.REFERENCE;
		PrometheusText before = PrometheusText.parse(scrape().body());
		List<Long> photoIds = new ArrayList<>();
		List<String> photoAnswers = new ArrayList<>();
		for (String photo : List.of("nasser0111_cat.jpg", "nasser0111_dog.jpg", "cdf_validation_dog.2000.jpg")) {
			JsonNode answer = JSON.readTree(
					upload("/api/v1/models/" + model + "/predictions", "image", photo, photo(photo), "en").body());
			photoIds.add(answer.get("id").asLong());
			photoAnswers.add(answer.get("label").asString());
		}
		List<Long> creditIds = new ArrayList<>();
		List<String> decisions = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			JsonNode decision = JSON.readTree(send(HttpRequest.newBuilder(uri("/api/v1/models/credit/predictions"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(CreditWebTests.applicant()))))
				.body());
			creditIds.add(decision.get("id").asLong());
			decisions.add(decision.get("decision").asString());
		}
		HttpResponse<String> notAPhoto = upload("/api/v1/models/" + model + "/predictions", "image", "notes.jpg",
				"not a photo".getBytes(StandardCharsets.UTF_8), "en");
		HttpResponse<String> badAge = postForm("/credit", "age=old", "en");
		HttpResponse<String> photoPage = upload("/image/" + model, "image", "cat.jpg", photo("nasser0111_cat.jpg"),
				"en");
		HttpResponse<String> tooLarge = upload("/image/" + model, "image", "big.jpg", new byte[11 * 1024 * 1024], "en");
		HttpResponse<String> tooSmall = upload("/api/v1/models/" + model + "/predictions", "image", "tiny.png",
				png(8, 8), "en");
		HttpResponse<String> noSuchModel = upload("/api/v1/models/no-such-model/predictions", "image", "cat.jpg",
				photo("nasser0111_cat.jpg"), "en");

		PrometheusText after = PrometheusText.parse(scrape().body());

		assertThat(notAPhoto.statusCode()).isEqualTo(415);
		assertThat(badAge.statusCode()).isEqualTo(400);
		assertThat(photoPage.statusCode()).isEqualTo(200);
		assertThat(tooLarge.statusCode()).isEqualTo(413);
		assertThat(tooSmall.statusCode()).isEqualTo(422);
		assertThat(noSuchModel.statusCode()).isEqualTo(404);
		for (String answer : new TreeSet<>(photoAnswers)) {
			assertThat(delta(before, after, "mlpages_predictions_total", "model", model, "channel", "api", "answer",
					answer))
				.as("photos answered %s through the API", answer)
				.isEqualTo(Collections.frequency(photoAnswers, answer));
		}
		assertThat(delta(before, after, "mlpages_predictions_total", "model", model, "channel", "page"))
			.as("the photo sent from the page")
			.isEqualTo(1);
		for (String decision : List.of("granted", "refused")) {
			assertThat(delta(before, after, "mlpages_predictions_total", "model", "credit", "channel", "api", "answer",
					decision))
				.isEqualTo(Collections.frequency(decisions, decision));
		}
		assertThat(delta(before, after, "mlpages_refusals_total", "model", model, "channel", "api", "reason",
				"not-an-image"))
			.isEqualTo(1);
		assertThat(delta(before, after, "mlpages_refusals_total", "model", "credit", "channel", "page", "reason",
				"invalid-answers"))
			.isEqualTo(1);
		assertThat(delta(before, after, "mlpages_refusals_total", "model", model, "channel", "page", "reason",
				"too-large"))
			.isEqualTo(1);
		assertThat(
				delta(before, after, "mlpages_refusals_total", "model", model, "channel", "api", "reason", "too-small"))
			.isEqualTo(1);
		assertThat(delta(before, after, "mlpages_refusals_total", "model", "unknown", "channel", "api", "reason",
				"model-unknown"))
			.as("a made-up model name is not a tag of its own")
			.isEqualTo(1);
		assertThat(after.has("mlpages_refusals_total", "model", "no-such-model")).isFalse();

		// the histograms: each prediction in the count and in the +Inf bucket, the sums
		// those of the logged rows
		String latency = "mlpages_prediction_latency_seconds";
		assertThat(delta(before, after, latency + "_count", "model", model, "channel", "api")).isEqualTo(3);
		assertThat(delta(before, after, latency + "_bucket", "model", model, "channel", "api", "le", "+Inf"))
			.isEqualTo(3);
		assertThat(delta(before, after, latency + "_count", "model", "credit", "channel", "api")).isEqualTo(2);
		assertThat(delta(before, after, "mlpages_inference_seconds_count", "model", model)).isEqualTo(4);
		assertThat(delta(before, after, "mlpages_inference_seconds_bucket", "model", "credit", "le", "+Inf"))
			.isEqualTo(2);
		assertThat(delta(before, after, "mlpages_inference_seconds_sum", "model", "credit"))
			.isCloseTo(rowsSum("inference_ms", creditIds) / 1000, within(1e-6));
		assertThat(delta(before, after, latency + "_sum", "model", model, "channel", "api"))
			.as("the rows' latencies and the wait for their commit")
			.isGreaterThanOrEqualTo(rowsSum("latency_ms", photoIds) / 1000 - 1e-6);
		// a photo takes longer than a tenth of a millisecond: the lowest bucket stays
		// empty
		assertThat(delta(before, after, latency + "_bucket", "model", model, "channel", "api", "le", "1.0E-4"))
			.isZero();
	}

	@Test
	void theCreditApiKeepsItsHttpRequestSeries() {
		String[] answered = { "method", "POST", "uri", "/api/v1/models/credit/predictions", "status", "200", "outcome",
				"SUCCESS", "exception", "none", "error", "none" };
		String[] refused = { "method", "POST", "uri", "/api/v1/models/credit/predictions", "status", "400", "outcome",
				"CLIENT_ERROR", "exception", "none", "error", "none" };
		// refused before any controller is chosen: no path pattern, as Spring tags it
		String[] notJson = { "method", "POST", "uri", "UNKNOWN", "status", "415", "outcome", "CLIENT_ERROR" };
		PrometheusText before = PrometheusText.parse(scrape().body());

		for (String body : List.of(JSON.writeValueAsString(CreditWebTests.applicant()), "{}")) {
			send(HttpRequest.newBuilder(uri("/api/v1/models/credit/predictions"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body)));
		}
		send(HttpRequest.newBuilder(uri("/api/v1/models/credit/predictions"))
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString("age=38")));

		PrometheusText after = PrometheusText.parse(scrape().body());
		assertThat(delta(before, after, "http_server_requests_seconds_count", answered)).isEqualTo(1);
		assertThat(delta(before, after, "http_server_requests_seconds_sum", answered)).isPositive();
		assertThat(delta(before, after, "http_server_requests_seconds_count", refused)).isEqualTo(1);
		assertThat(delta(before, after, "http_server_requests_seconds_count", notJson)).isEqualTo(1);
		assertThat(after.labelNames("http_server_requests_seconds_count"))
			.as("the same labels as the other paths' series")
			.containsExactlyInAnyOrder("method", "uri", "status", "outcome", "exception", "error");
	}

	private double rowsSum(String column, List<Long> ids) {
		return ids.stream()
			.mapToDouble(
					id -> jdbc.queryForObject("select " + column + " from prediction where id = ?", Double.class, id))
			.sum();
	}

	private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
		return after.value(name, labels) - before.value(name, labels);
	}

	private HttpResponse<String> scrape() {
		return send(HttpRequest.newBuilder(uri(METRICS)), scraper);
	}

	static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
		return NetworkInterface.networkInterfaces().filter(network -> {
			try {
				return network.isUp() && !network.isLoopback();
			}
			catch (SocketException ex) {
				return false;
			}
		})
			.flatMap(NetworkInterface::inetAddresses)
			.filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
			.findFirst();
	}

}
