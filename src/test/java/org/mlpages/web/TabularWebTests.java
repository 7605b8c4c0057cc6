package org.mlpages.web;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A tabular model dropped into the models folder with its descriptor (an ONNX file with
 * one input per column): its generated form in both languages, a decision with its
 * explanation logged and shown again as logged, refusals field by field on the page and
 * in the API; and a pickle beside it, refused with its reason while the rest serves.
 */
class TabularWebTests extends WebTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String PAGE = "/tabular/" + TestModels.TABULAR;

	private static final String API = "/api/v1/models/" + TestModels.TABULAR + "/predictions";

	/** The test model's own arithmetic (see src/test/resources/tabular). */
	private static double good(String sex, String smoker, double age) {
		double z = -0.2 + (sex.equals("F") ? 0.4 : -0.3) + (smoker.equals("no") ? -0.8 : 0.9) + 1.5 * (age - 40) / 12;
		return 1 / (1 + Math.exp(-z));
	}

	@Test
	void theFormIsGeneratedFromTheDescriptorInEachLanguage() {
		Document en = html(get(PAGE, "en"));
		assertThat(en.selectFirst("h1").text()).isEqualTo("Would this loan be repaid?");
		assertThat(en.select("#tabular-form label").eachText()).containsExactly("Sex", "Smoker", "Age");
		assertThat(en.select("#sex option").eachText()).containsExactly("Choose…", "Woman", "Man");
		assertThat(en.selectFirst("#age").attr("min")).isEqualTo("18");
		assertThat(en.selectFirst("#age").attr("max")).isEqualTo("100");
		assertThat(en.selectFirst("#age").attr("step")).isEqualTo("1");
		assertThat(en.select("#menu a").eachText()).contains("Would this loan be repaid?");

		Document fr = html(get(PAGE, "fr"));
		assertThat(fr.selectFirst("h1").text()).isEqualTo("Ce prêt serait-il remboursé ?");
		assertThat(fr.select("#tabular-form label").eachText()).containsExactly("Sexe", "Fumeur", "Âge");
		assertThat(fr.select("#smoker option").eachText()).containsExactly("Choisir…", "Non", "Oui");
		assertThat(fr.selectFirst(".form-text[data-field=age]").text()).isEqualTo("De 18 à 100 ans");

		Document example = html(get(PAGE + "?example=1", "en"));
		assertThat(example.selectFirst("#age").attr("value")).isEqualTo("61");
		assertThat(example.selectFirst("#sex option[selected]").text()).isEqualTo("Man");
	}

	@Test
	void aPersonGetsTheDecisionAndWhatMovedItAsLogged() {
		long rows = predictionRows();
		HttpResponse<String> response = postForm(PAGE, "sex=M&smoker=yes&age=61", "fr");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.uri().getPath()).matches(PAGE + "/predictions/\\d+");
		double p = good("M", "yes", 61);
		Document page = html(response);
		assertThat(page.selectFirst("#decision").text()).isEqualTo(p >= 0.5 ? "Remboursé" : "Non remboursé");
		assertThat(page.select("#probabilities .probability").eachText()).containsExactly(
				String.format(java.util.Locale.FRENCH, "Non remboursé %.1f %%", (1 - p) * 100),
				String.format(java.util.Locale.FRENCH, "Remboursé %.1f %%", p * 100));
		assertThat(page.selectFirst("#threshold").text())
			.isEqualTo("« Remboursé » décidé à partir d’une probabilité de 50,0 %.");
		assertThat(page.select("#explanation .chart-drawing .chart-row:not(.chart-axis) .chart-label").eachText())
			.containsExactlyInAnyOrder("Âge : 61 ans", "Fumeur : Oui", "Sexe : Homme");
		assertThat(predictionRows()).isEqualTo(rows + 1);
		Map<String, Object> row = jdbc.queryForMap("select * from prediction order by id desc limit 1");
		assertThat(row.get("kind")).isEqualTo("tabular");
		assertThat(row.get("model_name")).isEqualTo(TestModels.TABULAR);
		assertThat(row.get("input_json")).isEqualTo("{\"sex\":\"M\",\"smoker\":\"yes\",\"age\":\"61\"}");
		assertThat((String) row.get("explanation_json"))
			.startsWith("{\"explained\":\"good\",\"explainedIn\":\"log-odds\",\"contributions\":[");

		// "this is wrong": the person's answer kept with the decision, the page shown
		// again
		String result = response.uri().getPath();
		long id = Long.parseLong(result.substring(result.lastIndexOf('/') + 1));
		HttpResponse<String> feedback = postForm("/predictions/" + id + "/feedback", "label=bad", "en");
		assertThat(feedback.statusCode()).as(feedback.body()).isEqualTo(200);
		assertThat(feedback.uri().getPath()).isEqualTo(result);
		assertThat(jdbc.queryForObject("select feedback_label from prediction where id = ?", String.class, id))
			.isEqualTo("bad");

		// shown again as it was logged, in the other language: the model is not asked
		// again
		HttpResponse<String> again = get(response.uri().getPath(), "en");
		assertThat(html(again).selectFirst("#decision").text()).isEqualTo(p >= 0.5 ? "Repaid" : "Not repaid");
		assertThat(predictionRows()).isEqualTo(rows + 1);
	}

	@Test
	void aFormWithMistakesShowsAMessageBesideEachFieldAndLogsNothing() {
		long rows = predictionRows();
		HttpResponse<String> response = postForm(PAGE, "sex=X&age=12", "fr");

		assertThat(response.statusCode()).isEqualTo(400);
		Document page = html(response);
		assertThat(page.selectFirst("#error").text()).isEqualTo("3 réponses sont à revoir.");
		assertThat(page.selectFirst(".invalid-feedback[data-field=sex]").text())
			.isEqualTo("Choisissez une des réponses proposées : « Femme », « Homme ».");
		assertThat(page.selectFirst(".invalid-feedback[data-field=smoker]").text()).isEqualTo("Donnez une réponse.");
		assertThat(page.selectFirst(".invalid-feedback[data-field=age]").text()).isEqualTo("Entre 18 et 100 ans.");
		assertThat(page.selectFirst("#age").attr("value")).as("what was typed is kept").isEqualTo("12");
		assertThat(predictionRows()).isEqualTo(rows);
	}

	@Test
	void theApiDecidesExplainsAndRefusesFieldByField() {
		long rows = predictionRows();
		HttpResponse<String> response = postJson("{\"sex\": \"F\", \"smoker\": \"no\", \"age\": 30}", "en");

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = JSON.readTree(response.body());
		double p = good("F", "no", 30);
		assertThat(body.get("probabilities").get("good").asDouble()).isCloseTo(p, within(1e-6));
		assertThat(body.get("decision").asString()).isEqualTo(p >= 0.5 ? "good" : "bad");
		assertThat(body.get("threshold").asDouble()).isEqualTo(0.5);
		assertThat(body.get("explained").asString()).isEqualTo("good");
		// against the baselines (F, no, 40): only the age moved it, by its own term of
		// the linear model's log-odds, 1.5 (30 - 40) / 12
		assertThat(body.get("explainedIn").asString()).isEqualTo("log-odds");
		assertThat(body.get("contributions").get(0).get("field").asString()).isEqualTo("age");
		assertThat(body.get("contributions").get(0).get("change").asDouble()).isCloseTo(1.5 * (30 - 40) / 12,
				within(1e-5));
		assertThat(predictionRows()).isEqualTo(rows + 1);

		HttpResponse<String> refused = postJson("{\"sex\": \"F\", \"age\": 30.5, \"colour\": \"blue\"}", "fr");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = JSON.readTree(refused.body());
		assertThat(problem.get("code").asString()).isEqualTo("invalid-answers");
		assertThat(problem.get("errors")
			.valueStream()
			.map(e -> e.get("field").asString() + " " + e.get("code").asString()))
			.containsExactly("smoker required", "age integer", "colour unknown");
		assertThat(problem.get("errors").get(1).get("message").asString()).isEqualTo("Écrivez un nombre entier.");
		assertThat(postJson("[1, 2]", "en").statusCode()).isEqualTo(400);
		assertThat(get(PAGE + "?example=abc", "en").statusCode()).isEqualTo(400);
		assertThat(get(PAGE + "/predictions/abc", "en").statusCode()).isEqualTo(400);
		assertThat(predictionRows()).isEqualTo(rows + 1);
	}

	@Test
	void aPickleInTheModelsFolderIsRefusedWithItsReasonAndTheOthersServe() {
		Document about = html(get("/about", "en"));
		assertThat(about.text()).contains("old_pipeline.pkl is a Python pickle: loading a pickle runs the code it"
				+ " contains, so it is never opened here");
		assertThat(get("/tabular/old_pipeline", "en").statusCode()).isEqualTo(404);
		assertThat(get(PAGE, "en").statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> postJson(String body, String language) {
		return send(HttpRequest.newBuilder(uri(API))
			.header("Content-Type", "application/json")
			.header("Accept-Language", language)
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

}
