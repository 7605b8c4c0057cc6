package org.mlpages.web;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.text.DecimalFormatSymbols;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The credit page and API of the running app, with the committed model, and every refused
 * answer.
 */
public class CreditWebTests extends WebTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String API = "/api/v1/models/credit/predictions";

	/** A careful applicant: long-standing job, savings, short small loan. */
	static Map<String, Object> applicant() {
		Map<String, Object> answers = new LinkedHashMap<>();
		answers.put("checking_status", "no checking");
		answers.put("duration", 12);
		answers.put("credit_history", "existing paid");
		answers.put("purpose", "radio/tv");
		answers.put("credit_amount", 1800);
		answers.put("savings_status", "100<=X<500");
		answers.put("employment", "4<=X<7");
		answers.put("installment_commitment", 2);
		answers.put("personal_status", "male single");
		answers.put("other_parties", "none");
		answers.put("residence_since", 3);
		answers.put("property_magnitude", "life insurance");
		answers.put("age", 38);
		answers.put("other_payment_plans", "none");
		answers.put("housing", "own");
		answers.put("existing_credits", 1);
		answers.put("job", "skilled");
		answers.put("num_dependents", 1);
		answers.put("own_telephone", "yes");
		answers.put("foreign_worker", "yes");
		return answers;
	}

	@Test
	void theFormAsksEveryQuestionInWordsNotCodes() {
		Document page = html(get("/credit", "fr"));

		assertThat(page.select("#tabular-form select, #tabular-form input[type=number]")).hasSize(20);
		assertThat(page.selectFirst("label[for=checking_status]").text()).isEqualTo("Solde du compte courant");
		assertThat(page.select("#checking_status option").eachText()).contains("À découvert (moins de 0 DM)");
		assertThat(page.select("#purpose option").eachAttr("value")).contains("radio/tv").doesNotContain("vacation");
		assertThat(page.selectFirst("#duration").attr("min")).isNotEmpty();
		assertThat(page.select("#tabular-form select option[selected]").eachAttr("value")).as("nothing prefilled")
			.allMatch(String::isEmpty);
		assertThat(page.select("#tabular-form input[type=number]").eachAttr("value")).allMatch(String::isEmpty);
	}

	@Test
	void anExampleApplicantFillsTheForm() {
		Document page = html(get("/credit?example=1", "en"));

		assertThat(page.selectFirst("#age").attr("value")).isEqualTo("38");
		assertThat(page.selectFirst("#purpose option[selected]").attr("value")).isEqualTo("radio/tv");
	}

	@Test
	void aPersonSubmitsTheFormAndReadsTheDecisionAndWhy() {
		long rows = predictionRows();
		String form = applicant().entrySet()
			.stream()
			.map(entry -> entry.getKey() + "="
					+ URLEncoder.encode(String.valueOf(entry.getValue()), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));

		HttpResponse<String> response = postForm("/credit", form, "en");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.uri().getPath()).matches("/credit/predictions/\\d+");
		Document page = html(response);
		assertThat(page.selectFirst("#decision").text()).isIn("Credit granted", "Credit refused");
		assertThat(page.select("#probabilities .probability").eachText()).as("each class's probability")
			.hasSize(2)
			.allMatch(text -> text.matches("Credit (granted|refused) \\d+\\.\\d %"));
		assertThat(page.selectFirst("#threshold").text()).contains("%");
		assertThat(page.select("#explanation .chart-drawing .chart-row:not(.chart-axis)"))
			.hasSizeGreaterThanOrEqualTo(5);
		assertThat(page.selectFirst("#explanation .chart-label").text()).doesNotContain("@");
		assertThat(predictionRows()).isEqualTo(rows + 1);
		Map<String, Object> row = jdbc.queryForMap("select * from prediction order by id desc limit 1");
		assertThat(row.get("kind")).isEqualTo("tabular");
		assertThat(row.get("channel")).isEqualTo("page");
		assertThat((String) row.get("input_json")).contains("\"purpose\":\"radio/tv\"");
		assertThat(((Number) row.get("threshold")).doubleValue()).isBetween(0.0, 1.0);
	}

	@Test
	void aFormWithMistakesShowsAMessageBesideEachField() {
		long rows = predictionRows();

		HttpResponse<String> response = postForm("/credit", "age=-5&duration=twelve&purpose=holidays", "en");

		assertThat(response.statusCode()).isEqualTo(400);
		Document page = html(response);
		assertThat(page.selectFirst(".invalid-feedback[data-field=age]").text()).startsWith("Between 15 and 80");
		assertThat(page.selectFirst(".invalid-feedback[data-field=duration]").text())
			.isEqualTo("Write a number, such as 12 or 3.5.");
		assertThat(page.selectFirst(".invalid-feedback[data-field=purpose]").text()).startsWith("Choose one of");
		assertThat(page.selectFirst(".invalid-feedback[data-field=housing]").text()).isEqualTo("Give an answer.");
		assertThat(page.selectFirst("#age").attr("value")).as("what was typed is kept").isEqualTo("-5");
		assertThat(predictionRows()).isEqualTo(rows);
	}

	/** The locale's own grouping separator: a narrow no-break space in French. */
	private static final char FRENCH_GROUPING = DecimalFormatSymbols.getInstance(Locale.FRENCH).getGroupingSeparator();

	@Test
	void theBoundsAPersonReadsAreRoundAndSayWhy() {
		Document english = html(get("/credit", "en"));
		Document french = html(get("/credit", "fr"));

		assertThat(range(english, "credit_amount"))
			.isEqualTo("From 100 to 20,000 DM — the range of the applications the model learned from, with some room.");
		assertThat(range(english, "age")).startsWith("From 15 to 80 years — ");
		assertThat(english.selectFirst(".field-range[data-field=credit_amount]").wholeText())
			.as("a number and its unit never wrap apart")
			.contains("20,000\u00a0DM");
		assertThat(range(english, "duration")).startsWith("From 2 to 75 months — ");
		assertThat(range(english, "installment_commitment")).startsWith("From 1 to 4 — ");
		assertThat(range(french, "credit_amount")).isEqualTo("De 100 à 20" + FRENCH_GROUPING
				+ "000 DM — l’intervalle des demandes à partir desquelles le modèle a appris, avec un peu de marge.");
		assertThat(range(french, "age")).startsWith("De 15 à 80 ans — ");
		assertThat(range(french, "duration")).startsWith("De 2 à 75 mois — ");
	}

	@Test
	void theInputsLimitsArePlainNumbersInEveryLanguage() {
		Element amount = html(get("/credit", "fr")).selectFirst("#credit_amount");

		assertThat(amount.attr("min")).isEqualTo("100");
		assertThat(amount.attr("max")).isEqualTo("20000");
		assertThat(amount.attr("step")).isEqualTo("1");
	}

	@ParameterizedTest(name = "{0} = {1} is accepted by the page")
	@CsvSource({ "credit_amount, 100", "credit_amount, 20000", "age, 15", "age, 80" })
	void aValueOnTheShownBoundsIsAcceptedByThePage(String field, int value) {
		HttpResponse<String> response = postForm("/credit", form(field, value), "en");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.uri().getPath()).matches("/credit/predictions/\\d+");
	}

	@ParameterizedTest(name = "{0} = {1} is refused by the page in {2}")
	@CsvSource(delimiter = '|', value = { "credit_amount | 99 | en | Between 100 and 20,000 DM.",
			"credit_amount | 20001 | en | Between 100 and 20,000 DM.", "age | 14 | en | Between 15 and 80 years.",
			"age | 81 | fr | Entre 15 et 80 ans.", "credit_amount | 99 | fr | Entre 100 et 20_000 DM.",
			"installment_commitment | 5 | en | Between 1 and 4." })
	void aValueJustOutsideTheShownBoundsIsRefusedByThePageWithTheSameBound(String field, int value, String language,
			String message) {
		long rows = predictionRows();

		HttpResponse<String> response = postForm("/credit", form(field, value), language);

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(html(response).selectFirst(".invalid-feedback[data-field=" + field + "]").text())
			.isEqualTo(message.replace('_', FRENCH_GROUPING));
		assertThat(predictionRows()).isEqualTo(rows);
	}

	@Test
	void theApiAcceptsTheShownBoundsAndRefusesJustOutsideWithTheSameNumbers() {
		assertThat(postJson(with("credit_amount", 20000)).statusCode()).isEqualTo(200);
		assertThat(postJson(with("age", 15)).statusCode()).isEqualTo(200);

		JsonNode tooLarge = onlyError(postJson(with("credit_amount", 20001)));
		assertThat(tooLarge.get("code").asString()).isEqualTo("range");
		assertThat(tooLarge.get("message").asString()).isEqualTo("Between 100 and 20,000\u00a0DM.");
		assertThat(tooLarge.get("min").asLong()).isEqualTo(100);
		assertThat(tooLarge.get("max").asLong()).isEqualTo(20000);
		JsonNode tooSmall = onlyError(postJson(with("age", 14)));
		assertThat(tooSmall.get("code").asString()).isEqualTo("range");
		assertThat(tooSmall.get("message").asString()).isEqualTo("Between 15 and 80\u00a0years.");
		assertThat(tooSmall.get("min").isIntegralNumber()).as("a whole number's bound is written whole").isTrue();
		assertThat(tooSmall.get("min").asLong()).isEqualTo(15);
		assertThat(tooSmall.has("allowed")).isFalse();
	}

	@Test
	void anUnknownChoiceIsAnsweredWithTheChoicesNamesNotTheirCodes() {
		String form = "purpose=holidays";

		String english = html(postForm("/credit", form, "en")).selectFirst(".invalid-feedback[data-field=purpose]")
			.text();
		String french = html(postForm("/credit", form, "fr")).selectFirst(".invalid-feedback[data-field=purpose]")
			.text();

		assertThat(english).startsWith("Choose one of the listed answers: “New car”, “Used car”, ")
			.contains("“Radio or television”")
			.doesNotContain("radio/tv", "\"");
		assertThat(french).startsWith("Choisissez une des réponses proposées : « Voiture neuve », ")
			.contains("« Radio ou télévision »")
			.doesNotContain("radio/tv", "Radio or television");
	}

	@Test
	void theApiNamesTheChoicesInWordsAndListsTheValuesToSendApart() {
		JsonNode error = onlyError(postJson(with("personal_status", "female single")));

		assertThat(error.get("code").asString()).isEqualTo("choice");
		assertThat(error.get("message").asString()).contains("“Woman, divorced, separated or married”")
			.doesNotContain("female div/dep/mar");
		assertThat(error.get("allowed").valueStream().map(JsonNode::asString)).containsExactly("male div/sep",
				"female div/dep/mar", "male single", "male mar/wid");
		assertThat(error.has("min")).isFalse();
	}

	private static String form(String field, Object value) {
		Map<String, Object> answers = applicant();
		answers.put(field, value);
		return answers.entrySet()
			.stream()
			.map(entry -> entry.getKey() + "="
					+ URLEncoder.encode(String.valueOf(entry.getValue()), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	private static String range(Document page, String field) {
		return page.selectFirst(".field-range[data-field=" + field + "]").text();
	}

	private static JsonNode onlyError(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		JsonNode errors = JSON.readTree(response.body()).get("errors");
		assertThat(errors).as(response.body()).hasSize(1);
		return errors.get(0);
	}

	@Test
	void theApiDecidesAndExplains() {
		long rows = predictionRows();

		HttpResponse<String> response = postJson(JSON.writeValueAsString(applicant()));

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.get("decision").asString()).isIn("granted", "refused");
		assertThat(body.get("label").asString()).as("as the image API names it")
			.isEqualTo(body.get("decision").asString());
		double granted = body.get("probabilities").get("granted").asDouble();
		assertThat(granted + body.get("probabilities").get("refused").asDouble()).isCloseTo(1.0, within(1e-9));
		assertThat(body.get("decision").asString())
			.isEqualTo(granted >= body.get("threshold").asDouble() ? "granted" : "refused");
		assertThat(body.get("explained").asString()).isEqualTo("granted");
		assertThat(body.get("explainedIn").asString()).isEqualTo("log-odds");
		assertThat(body.get("contributions")).hasSize(20);
		assertThat(predictionRows()).isEqualTo(rows + 1);
	}

	public static Stream<Arguments> badApplications() {
		return Stream.of(Arguments.of("a missing field", without("age"), "age", "required"),
				Arguments.of("an unknown category", with("purpose", "spaceship"), "purpose", "choice"),
				Arguments.of("a category in the wrong case", with("housing", "OWN"), "housing", "choice"),
				Arguments.of("a negative age", with("age", -5), "age", "range"),
				Arguments.of("an absurd amount", with("credit_amount", 1e9), "credit_amount", "range"),
				Arguments.of("NaN", "{\"age\": NaN}", "age", "number"),
				Arguments.of("NaN as text", with("age", "NaN"), "age", null),
				Arguments.of("Infinity", with("duration", "Infinity"), "duration", null),
				Arguments.of("text in a number", with("duration", "twelve"), "duration", "number"),
				Arguments.of("a decimal for a whole number", with("existing_credits", 1.5), "existing_credits",
						"integer"),
				Arguments.of("an extra field", with("favourite_colour", "blue"), "favourite_colour", "unknown"),
				Arguments.of("a number for a category", with("housing", 1), "housing", "choice"),
				Arguments.of("a boolean for a number", with("age", true), "age", "number"),
				Arguments.of("an array for a category", with("job", new String[] { "skilled" }), "job", "choice"),
				Arguments.of("a null", with("job", null), "job", "required"),
				Arguments.of("an empty string", with("job", ""), "job", "required"),
				Arguments.of("script tags in a value", with("purpose", "<script>alert(1)</script>"), "purpose",
						"choice"),
				Arguments.of("an empty object", "{}", "checking_status", "required"),
				Arguments.of("an empty body", "", "", "not-an-object"),
				Arguments.of("a JSON array", "[1, 2]", "", "not-an-object"),
				Arguments.of("broken JSON", "{\"age\": ", "", "not-an-object"));
	}

	@ParameterizedTest(name = "the API refuses {0}")
	@MethodSource("badApplications")
	void theApiRefusesEachBadApplicationWithAMessagePerField(String what, String body, String field, String code) {
		long rows = predictionRows();

		HttpResponse<String> response = postJson(body);

		assertThat(response.statusCode()).as(what).isEqualTo(400);
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.get("code").asString()).isEqualTo("invalid-answers");
		JsonNode error = problem.get("errors")
			.valueStream()
			.filter(candidate -> candidate.get("field").asString().equals(field))
			.findFirst()
			.orElseThrow(() -> new AssertionError(what + ": no error for " + field + " in " + response.body()));
		if (code != null) {
			assertThat(error.get("code").asString()).as(what).isEqualTo(code);
		}
		assertThat(error.get("message").asString()).as(what).isNotBlank().doesNotContain("<script>");
		assertThat(predictionRows()).as(what + ": no row").isEqualTo(rows);
	}

	@ParameterizedTest(name = "a body in {0} is read in the charset its Content-Type names")
	@CsvSource({ "UTF-8, application/json", "UTF-8, application/json;charset=UTF-8",
			"ISO-8859-1, application/json; charset=ISO-8859-1" })
	void theApiReadsTheBodyInTheCharsetItsContentTypeNames(String charset, String contentType) {
		byte[] body = with("âge_du_client", 38).getBytes(Charset.forName(charset));

		HttpResponse<String> response = send(HttpRequest.newBuilder(uri(API))
			.header("Content-Type", contentType)
			.header("Accept-Language", "en")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body)));

		assertThat(onlyError(response).get("field").asString()).isEqualTo("âge_du_client");
	}

	@Test
	void aClientThatAcceptsNoJsonGets406AndNothingIsLogged() {
		long rows = jdbc.queryForObject("select count(*) from prediction", Long.class);

		HttpResponse<String> response = send(HttpRequest.newBuilder(uri(API))
			.header("Content-Type", "application/json")
			.header("Accept", "text/html")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(applicant()))));
		HttpResponse<String> either = send(HttpRequest.newBuilder(uri(API))
			.header("Content-Type", "application/json")
			.header("Accept", "text/html, application/*;q=0.5")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(applicant()))));

		assertThat(response.statusCode()).isEqualTo(406);
		assertThat(either.statusCode()).isEqualTo(200);
		assertThat(either.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(jdbc.queryForObject("select count(*) from prediction", Long.class)).isEqualTo(rows + 1);
	}

	@Test
	void aHugeBodyIsRefusedBeforeItIsRead() {
		String huge = "{\"purpose\": \"" + "x".repeat(200_000) + "\"}";

		HttpResponse<String> response = postJson(huge);

		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(JSON.readTree(response.body()).get("code").asString()).isEqualTo("too-large");
	}

	@Test
	void theCreditPageHasOneAddress() {
		assertThat(get("/tabular/credit", "en").statusCode()).isEqualTo(404);
		assertThat(postForm("/tabular/credit", form("age", 30), "en").statusCode()).isEqualTo(404);
		assertThat(get("/credit", "en").statusCode()).isEqualTo(200);
	}

	@Test
	void theCreditCardShowsTheTrainingProvenance() {
		Element card = html(get("/about", "en")).selectFirst("#model-credit");

		assertThat(card.text()).contains("credit.model", "Tribuo", "Seed", "42", "Training rows", "997", "credit-g.csv",
				"AUC", "Decision threshold");
	}

	private HttpResponse<String> postJson(String body) {
		return send(HttpRequest.newBuilder(uri(API))
			.header("Content-Type", "application/json")
			.header("Accept-Language", "en")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private static String with(String field, Object value) {
		Map<String, Object> answers = applicant();
		answers.put(field, value);
		return JSON.writeValueAsString(answers);
	}

	private static String without(String field) {
		Map<String, Object> answers = applicant();
		answers.remove(field);
		return JSON.writeValueAsString(answers);
	}

}
