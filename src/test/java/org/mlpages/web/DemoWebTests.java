package org.mlpages.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mlpages.credit.CreditModels;
import org.mlpages.credit.model.ModelProvenanceSummary;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The demo page without JavaScript: every sample, each one's form sending it to the real
 * model, the answer at its sample, and the demo row in the history.
 */
class DemoWebTests extends WebTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	CreditModels creditModels;

	@Test
	void aFirstVisitorMeetsTheDemoFirst() {
		HttpResponse<String> home = get("/", "en");

		assertThat(home.statusCode()).isEqualTo(200);
		assertThat(home.uri().getPath()).isEqualTo("/demo");
		Document page = html(home);
		assertThat(page.select("#menu a").eachText()).first().isEqualTo("Demo");
		assertThat(page.select("#menu a.active").eachText()).containsExactly("Demo");
		assertThat(page.selectFirst("#demo-logged a").attr("href")).as("About stays one click away")
			.isEqualTo("/about");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					en | Try the models in one click     | Cat or dog?                 | Ask the model      | Would the bank grant this credit?
					fr | Essayez les modèles en un clic | Chat ou chien ?              | Demander au modèle | La banque accorderait-elle ce crédit ?
					""")
	void theDemoShowsEverySampleWithWhereItComesFrom(String language, String title, String photoModel, String run,
			String creditTitle) {
		HttpResponse<String> response = get("/demo?lang=" + language, language);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).as("no message is missing").doesNotContain("??");
		Document page = html(response);
		assertThat(page.selectFirst("h1").text()).isEqualTo(title);
		assertThat(page.selectFirst("#demo-photos").text()).isEqualTo(photoModel);
		assertThat(page.selectFirst("#demo-applicants").text()).isEqualTo(creditTitle);
		assertThat(page.select(".demo-sample[id^=sample-photo-]")).hasSize(6).allSatisfy(card -> {
			assertThat(card.selectFirst("img").attr("src")).matches("/demo/photos/[a-z]+-\\d+\\.jpg");
			assertThat(card.selectFirst("img").attr("alt")).isNotBlank();
			assertThat(card.selectFirst(".demo-source").text()).contains("Apache-2.0");
			assertThatTheFormPostsWithItsToken(card, run);
		});
		assertThat(page.select(".demo-sample[id^=sample-applicant-]")).hasSize(3).allSatisfy(card -> {
			assertThat(card.selectFirst(".demo-source").text()).contains("CC BY 4.0", "Statlog");
			assertThatTheFormPostsWithItsToken(card, run);
		});
		assertThat(page.selectFirst("#sample-photo-cat-2029 .demo-fools").text()).isNotBlank();
		assertThat(page.selectFirst(".demo-accuracy").text()).as("the model's own measured accuracy")
			.contains(language.equals("fr") ? "97,0 %" : "97.0 %");
		assertThat(page.select(".demo-result")).as("no answer before a click").isEmpty();
		assertThat(page.selectFirst("script[src=/js/demo.js]")).isNotNull();
	}

	@Test
	void theNumbersAPersonReadsFollowTheLanguage() {
		Document english = html(get("/demo?lang=en", "en"));
		Document french = html(get("/demo?lang=fr", "fr"));

		assertThat(english.selectFirst("#sample-applicant-business .demo-summary").text()).startsWith("15,945 DM");
		assertThat(french.selectFirst("#sample-applicant-business .demo-summary").text())
			.matches("15[\\s\\u00a0\\u202f]945 DM.*");
	}

	@Test
	void theSamplePhotosAreServedFromTheJar() {
		HttpResponse<String> photo = get("/demo/photos/cat-2029.jpg", "en");

		assertThat(photo.statusCode()).isEqualTo(200);
		assertThat(photo.headers().firstValue("Content-Type")).hasValue("image/jpeg");
		assertThat(get("/demo/photos/nope.jpg", "en").statusCode()).isEqualTo(404);
	}

	@ParameterizedTest(name = "{0} ({1}) is answered {2}")
	@CsvSource({ "cat-2017, cat.2017.jpg, Cat, true", "dog-2096, dog.2096.jpg, Dog, true",
			"cat-2048, cat.2048.jpg, Cat, true", "dog-2062, dog.2062.jpg, Dog, true",
			"dog-2028, dog.2028.jpg, Dog, true", "cat-2029, cat.2029.jpg, Dog, false" })
	void oneClickSendsAPhotoToTheRealModelAndShowsTheAnswerAtItsSample(String id, String file, String answer,
			boolean right) {
		long rows = predictionRows();

		HttpResponse<String> response = postForm("/demo/photos/" + id, "", "en");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.uri().getPath()).isEqualTo("/demo");
		assertThat(response.uri().getQuery()).startsWith("photo=" + id + "&prediction=");
		assertThat(predictionRows()).isEqualTo(rows + 1);
		Map<String, Object> row = newestRow();
		assertThat(row.get("channel")).isEqualTo("demo");
		assertThat(row.get("model_name")).isEqualTo(TestModels.RETRAINED);
		assertThat(row.get("original_name")).isEqualTo(file);
		assertThat(row.get("label")).as("the model's real answer").isEqualTo(answer);

		Element result = html(response).selectFirst("#answer-photo-" + id + " .demo-result");
		assertThat(result).isNotNull();
		assertThat(result.selectFirst(".demo-verdict").text()).matches(answer + " \\d{2,3}(\\.\\d)? %");
		if (right) {
			assertThat(result.selectFirst(".demo-right").text()).isEqualTo("Right.");
		}
		else {
			assertThat(result.selectFirst(".demo-wrong").text()).isEqualTo("Wrong: the right answer is Cat.");
		}
		assertThat(result.selectFirst(".demo-timing").text())
			.matches("Answered in [\\d.,]+ ms, [\\d.,]+ ms of it in the model\\.");
		assertThat(html(response).select(".demo-result")).as("only the sample clicked").hasSize(1);
		String full = result.selectFirst(".demo-open").attr("href");
		assertThat(full).isEqualTo("/image/" + TestModels.RETRAINED + "/predictions/" + row.get("id"));
		assertThat(get(full, "en").statusCode()).as("the visitor may open the full result").isEqualTo(200);
	}

	@Test
	void theClearGrantIsGrantedWithWhatWeighedMost() {
		long rows = predictionRows();

		HttpResponse<String> response = postForm("/demo/applicants/saver", "", "en");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(predictionRows()).isEqualTo(rows + 1);
		Map<String, Object> row = newestRow();
		assertThat(row.get("channel")).isEqualTo("demo");
		assertThat(row.get("kind")).isEqualTo("tabular");
		assertThat(row.get("label")).isEqualTo("granted");
		assertThat(probabilityGood(row)).isGreaterThan(0.95);
		Element result = html(response).selectFirst("#answer-applicant-saver .demo-result");
		assertThat(result.selectFirst(".demo-verdict").text()).isEqualTo("Credit granted");
		assertThat(result.selectFirst(".demo-probability").text())
			.matches("The model gives a \\d+\\.\\d % chance of repayment; the bank grants from 88 %\\.");
		assertThat(result.select(".demo-reasons li")).hasSize(3);
		assertThat(result.selectFirst(".demo-timing").text()).startsWith("Decided in");
		String full = result.selectFirst(".demo-open").attr("href");
		assertThat(full).isEqualTo("/credit/predictions/" + row.get("id"));
		assertThat(html(get(full, "en")).selectFirst("#decision").text()).isEqualTo("Credit granted");
	}

	@Test
	void theClearRefusalIsRefusedInFrench() {
		get("/demo?lang=fr", "fr");

		HttpResponse<String> response = postForm("/demo/applicants/business", "", "fr");

		Map<String, Object> row = newestRow();
		assertThat(row.get("channel")).isEqualTo("demo");
		assertThat(row.get("label")).isEqualTo("refused");
		assertThat(probabilityGood(row)).isLessThan(0.2);
		Element result = html(response).selectFirst("#answer-applicant-business .demo-result");
		assertThat(result.selectFirst(".demo-verdict").text()).isEqualTo("Crédit refusé");
		assertThat(result.selectFirst(".demo-probability").text()).as("a French decimal comma")
			.matches("Le modèle estime à \\d+,\\d % .*");
		assertThat(result.select(".demo-reasons li")).hasSize(3);
	}

	@Test
	void theBorderlineCaseSitsAtTheThreshold() {
		postForm("/demo/applicants/borderline", "", "en");

		Map<String, Object> row = newestRow();
		assertThat(row.get("channel")).isEqualTo("demo");
		assertThat(probabilityGood(row)).isCloseTo(((Number) row.get("threshold")).doubleValue(), within(0.02));
	}

	@Test
	void theSampleApplicantsAreTheRowsTheModelWasNotTrainedOn() throws IOException {
		ModelProvenanceSummary provenance = creditModels.ready().orElseThrow().model().provenance();
		List<Integer> shown;
		try (InputStream in = new ClassPathResource("demo/applicants.csv").getInputStream()) {
			shown = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
				.skip(1)
				.map(line -> Integer.valueOf(line.split(",")[1]))
				.toList();
		}

		// the captions say "held out": the model's side file must say so of the same rows
		assertThat(provenance.heldOutRows()).containsExactlyInAnyOrderElementsOf(shown);
		assertThat(provenance.heldOutReason()).isEqualTo("the demo's sample applicants");
		assertThat(provenance.trainingRows()).isEqualTo(1000 - shown.size());
		List<String> sources = html(get("/demo", "en")).select(".demo-sample[id^=sample-applicant-] .demo-source")
			.eachText();
		assertThat(sources).allSatisfy(source -> assertThat(source).contains("It was held out"));
		assertThat(sources.stream().map(source -> Integer.valueOf(source.replaceFirst("^Applicant (\\d+) .*", "$1"))))
			.containsExactlyElementsOf(shown);
	}

	@Test
	void anUnknownSampleIsAPageNotARow() {
		long rows = predictionRows();

		HttpResponse<String> response = postForm("/demo/photos/unicorn", "", "en");

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(html(response).selectFirst("#error").text()).isEqualTo("There is no such sample.");
		assertThat(predictionRows()).isEqualTo(rows);
	}

	@Test
	void aPostWithoutTheFormsTokenIsRefused() {
		long rows = predictionRows();
		HttpClient stranger = HttpClient.newBuilder().build();

		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/demo/photos/cat-2017"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.noBody()), stranger);

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(predictionRows()).isEqualTo(rows);
	}

	@Test
	void demoRowsAreMarkedInTheHistoryItsFilterAndItsExport() {
		postForm("/demo/photos/dog-2062", "", "en");
		long id = ((Number) newestRow().get("id")).longValue();
		logInAsAdmin();

		Document all = html(get("/history", "en"));
		Document demo = html(get("/history?channel=demo", "en"));
		Document french = html(get("/history?channel=demo&lang=fr", "fr"));
		String csv = get("/history/export.csv?channel=demo", "en").body();

		assertThat(all.selectFirst("#history tbody tr").text()).contains(TestModels.RETRAINED, "dog.2062.jpg", "demo");
		assertThat(demo.select("#history tbody tr td:nth-child(3)").eachText()).isNotEmpty().containsOnly("demo");
		assertThat(demo.select("#channel option[selected]").eachAttr("value")).containsExactly("demo");
		assertThat(french.select("#history tbody tr td:nth-child(3)").eachText()).containsOnly("démo");
		assertThat(csv.lines().skip(1)).isNotEmpty()
			.allSatisfy(line -> assertThat(line.split(",")[2]).isEqualTo("demo"));
		assertThat(csv).contains("\r\n" + id + ",");
		assertThat(html(get("/history?channel=api", "en")).select("#history tbody tr td:nth-child(3)").eachText())
			.doesNotContain("demo");
	}

	private static void assertThatTheFormPostsWithItsToken(Element card, String run) {
		Element form = card.selectFirst("form.demo-run");
		assertThat(form.attr("method")).isEqualTo("post");
		assertThat(URI.create(form.attr("action")).getPath()).matches("/demo/(photos|applicants)/[a-z0-9-]+");
		assertThat(form.selectFirst("input[name=_csrf]").attr("value")).isNotBlank();
		assertThat(form.selectFirst("button").text()).isEqualTo(run);
	}

	private Map<String, Object> newestRow() {
		return jdbc.queryForMap("select * from prediction order by id desc limit 1");
	}

	private static double probabilityGood(Map<String, Object> row) {
		JsonNode probabilities = JSON.readTree((String) row.get("probabilities"));
		return probabilities.get("granted").asDouble();
	}

}
