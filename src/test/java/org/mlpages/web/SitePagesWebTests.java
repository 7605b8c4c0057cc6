package org.mlpages.web;

import java.net.http.HttpResponse;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages every visitor sees, the model cards, the health check and the database
 * underneath.
 */
class SitePagesWebTests extends WebTestSupport {

	@Autowired
	ApplicationContext context;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void theMenuListsEveryPageOnEveryPage() {
		logInAsAdmin();
		for (String path : new String[] { "/demo", "/about", "/history", "/image/" + TestModels.SHIPPED, "/credit",
				"/training" }) {
			Document page = html(get(path, "en"));

			assertThat(page.select("#menu a").eachText()).as(path)
				.containsExactly("Demo", "About", "Cat or dog?", "Cat or dog? (original Teachable Machine model)",
						"Cat or dog? (whole photo)", "Would the bank grant this credit?", "Would this loan be repaid?",
						"Train a model", "Add a model", "History");
			assertThat(page.select("#menu a.active")).as(path).hasSize(1);
		}
	}

	@Test
	void aVisitorsMenuOffersNoAdminPageButALogIn() {
		for (String path : new String[] { "/demo", "/about", "/image/" + TestModels.SHIPPED, "/credit",
				"/image/no-such-model" }) {
			Document page = html(get(path, "fr"));

			assertThat(page.select("#menu a").eachAttr("href")).as(path)
				.contains("/demo", "/credit")
				.doesNotContain("/training", "/history");
			assertThat(page.select("#account a[href=/login]").eachText()).as(path).containsExactly("Connexion");
		}
	}

	@Test
	void theBestCatOrDogModelComesFirstAndEachCardSaysHowRightItIs() {
		Document page = html(get("/about", "fr"));

		assertThat(page.select("#menu a[href^=/image/]").eachAttr("href")).first()
			.isEqualTo("/image/" + TestModels.RETRAINED);
		assertThat(page.selectFirst("#model-" + TestModels.RETRAINED).text()).contains("Exactitude mesurée",
				"97,0 % (194 sur 200)");
		assertThat(page.selectFirst("#model-" + TestModels.SHIPPED).text()).contains("83,0 % (166 sur 200)",
				"recadrage central en 224×224 RVB");
	}

	@Test
	void theAboutPageShowsACardPerModelAndWhyTheBrokenOnesFailed() {
		Document page = html(get("/about", "en"));

		Element card = page.selectFirst("#model-" + TestModels.SHIPPED);
		assertThat(card.text()).contains("cat_dog_model.h5", "224", "Cat, Dog", "centre crop", "ms", "2.38 MB");
		assertThat(card.selectFirst(".sha").text()).matches("[0-9a-f]{64}");
		assertThat(page.selectFirst("#model-broken .model-error").text()).isNotBlank();
		assertThat(page.selectFirst("#model-no_descriptor .model-error").text()).contains("no_descriptor.yml");
		assertThat(page.selectFirst("#model-recurrent .model-error").text()).as("names the layer and its class")
			.contains("lstm_1", "LSTM");
	}

	@Test
	void theApiListsTheModelCards() {
		JsonNode cards = JSON.readTree(get("/api/v1/models", "en").body());

		assertThat(cards.findValuesAsString("name")).contains(TestModels.SHIPPED, TestModels.REFERENCE, "broken",
				"no_descriptor");
		JsonNode shipped = cards.valueStream()
			.filter(card -> card.get("name").asString().equals(TestModels.SHIPPED))
			.findFirst()
			.orElseThrow();
		assertThat(shipped.get("status").asString()).isEqualTo("READY");
		assertThat(shipped.get("inputShape").asString()).isEqualTo("[-1, 224, 224, 3]");
		assertThat(shipped.get("format").asString()).contains("Keras");
	}

	@Test
	void healthReportsEachModelsStateToEveryoneAndTheServersDetailsOnlyToTheAdmin() {
		JsonNode health = JSON.readTree(get("/actuator/health", "en").body());
		JsonNode models = JSON.readTree(get("/actuator/health/model-states", "en").body())
			.get("components")
			.get("models");

		assertThat(health.get("status").asString()).isEqualTo("UP");
		assertThat(health.get("components").get("models").get("status").asString()).isEqualTo("UP");
		assertThat(health.get("components").get("diskSpace").has("details")).as("the disk's path is not public")
			.isFalse();
		assertThat(models.get("status").asString()).isEqualTo("UP");
		assertThat(models.get("details").get(TestModels.SHIPPED).get("status").asString()).isEqualTo("READY");
		assertThat(models.get("details").get("broken").get("status").asString()).isEqualTo("FAILED");

		logInAsAdmin();
		JsonNode asAdmin = JSON.readTree(get("/actuator/health", "en").body());
		assertThat(asAdmin.get("components").get("diskSpace").get("details").has("free")).isTrue();
		assertThat(
				asAdmin.get("components").get("models").get("details").get(TestModels.SHIPPED).get("status").asString())
			.isEqualTo("READY");
	}

	@Test
	void aLoadBalancerSendsTrafficOnlyOnceTheModelsHaveLoadedAndNotWhileTheAppShutsDown() {
		HttpResponse<String> ready = get("/actuator/health/readiness", "en");
		JsonNode parts = JSON.readTree(ready.body()).get("components");

		assertThat(ready.statusCode()).isEqualTo(200);
		assertThat(parts.get("readinessState").get("status").asString()).isEqualTo("UP");
		assertThat(parts.get("models").get("status").asString()).isEqualTo("UP");

		// what Spring publishes when a graceful shutdown begins
		AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
		try {
			HttpResponse<String> closing = get("/actuator/health/readiness", "en");
			assertThat(closing.statusCode()).isEqualTo(503);
			assertThat(JSON.readTree(closing.body()).get("status").asString()).isEqualTo("OUT_OF_SERVICE");
			assertThat(get("/actuator/health/liveness", "en").statusCode()).as("not restarted meanwhile")
				.isEqualTo(200);
		}
		finally {
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
		}
		assertThat(get("/actuator/health/readiness", "en").statusCode()).isEqualTo(200);
	}

	@Test
	void theHistoryShowsTheLatestPredictions() {
		String name = "cdf_validation_dog.2009.jpg";
		upload("/image/" + TestModels.REFERENCE, "image", name, photo(name), "en");
		logInAsAdmin();

		Document page = html(get("/history", "en"));

		Element newest = page.selectFirst("#history tbody tr");
		assertThat(newest.text()).contains(TestModels.REFERENCE, name, "162x198", "page");
	}

	@Test
	void theLanguageSwitchIsRememberedAcrossPages() {
		HttpResponse<String> switched = get("/credit?lang=fr", "en");
		HttpResponse<String> next = get("/about", "en");

		assertThat(html(switched).selectFirst("h1").text()).isEqualTo("La banque accorderait-elle ce crédit ?");
		assertThat(html(next).selectFirst("h1").text()).isEqualTo("À propos de mlpages");
	}

	@Test
	void anUnknownPageGetsAPageNotAStackTrace() {
		HttpResponse<String> response = get("/image/no-such-model", "en");

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(html(response).selectFirst("#error").text()).contains("no-such-model");
		assertThat(response.body()).doesNotContain("Exception", "at org.");
	}

	@Test
	void theDatabaseIsASqliteFileInWalMode() {
		assertThat(jdbc.queryForObject("pragma journal_mode", String.class)).isEqualToIgnoringCase("wal");
		assertThat(java.nio.file.Path.of("target/test-data/mlpages.db")).exists();
	}

}
