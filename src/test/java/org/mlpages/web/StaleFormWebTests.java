package org.mlpages.web;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A form sent from a page shown before its session expired or the app restarted: its CSRF
 * token names nothing the server knows. The server forgetting the session is simulated by
 * the browser forgetting its session cookie: either way the post arrives in no known
 * session, with a token no session holds. Nothing is processed, and the person gets the
 * form back with what they sent and a line asking to send it again.
 */
class StaleFormWebTests extends WebTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

	/** A browser whose session cookie the test can drop. */
	private final HttpClient browser = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NORMAL)
		.cookieHandler(cookies)
		.build();

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"en|Your session had expired, so the model was not asked. Check your answers and submit again.",
			"fr|Votre session avait expiré : le modèle n’a pas été interrogé. Vérifiez vos réponses et envoyez-les à nouveau." })
	void aCreditFormSentAfterARestartComesBackWithEveryAnswerAndThenGoesThrough(String language, String message) {
		String oldToken = tokenOf(get(browser, "/credit", language));
		restart();
		long rows = predictionRows();

		HttpResponse<String> back = postForm(browser, "/credit", answers() + "&_csrf=" + oldToken, language);

		assertThat(back.statusCode()).isEqualTo(403);
		assertThat(back.uri().getPath()).isEqualTo("/credit");
		Document page = html(back);
		assertThat(page.selectFirst("#stale").text()).isEqualTo(message);
		assertEveryAnswerIsKept(page);
		assertThat(page.selectFirst("#result")).as("no decision").isNull();
		assertThat(back.body()).doesNotContainIgnoringCase("jsessionid");
		assertThat(predictionRows()).as("nothing decided, nothing logged").isEqualTo(rows);

		HttpResponse<String> decided = postForm(browser, "/credit", answers() + "&_csrf=" + tokenOf(back), language);

		assertThat(decided.statusCode()).isEqualTo(200);
		assertThat(decided.uri().getPath()).matches("/credit/predictions/\\d+");
		assertThat(html(decided).selectFirst("#decision")).isNotNull();
		assertThat(predictionRows()).isEqualTo(rows + 1);
	}

	@Test
	void aCreditFormWithAnotherSessionsTokenComesBackTooAndIsNotDecided() {
		get(browser, "/credit", "en");
		String othersToken = csrfToken();
		long rows = predictionRows();

		HttpResponse<String> back = postForm(browser, "/credit", answers() + "&_csrf=" + othersToken, "en");

		assertThat(back.statusCode()).isEqualTo(403);
		assertThat(html(back).selectFirst("#stale")).isNotNull();
		assertEveryAnswerIsKept(html(back));
		assertThat(predictionRows()).isEqualTo(rows);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"en|Your session had expired, so the photo was not sent. Choose it again and submit.",
			"fr|Votre session avait expiré : la photo n’a pas été envoyée. Choisissez-la de nouveau et envoyez-la." })
	void aPhotoSentAfterARestartIsNeitherClassifiedNorKept(String language, String message) {
		String page = "/image/" + TestModels.REFERENCE;
		String oldToken = tokenOf(get(browser, page, language));
		restart();
		long rows = predictionRows();
		long uploads = storedUploads();

		HttpResponse<String> back = send(
				Multipart.file("image", "cat.jpg", photo("nasser0111_cat.jpg"))
					.post(HttpRequest.newBuilder(uri(page + "?_csrf=" + oldToken)).header("Accept-Language", language)),
				browser);

		assertThat(back.statusCode()).isEqualTo(403);
		assertThat(html(back).selectFirst("#stale").text()).isEqualTo(message);
		assertThat(html(back).selectFirst("#upload-form input[type=file]")).isNotNull();
		assertThat(html(back).selectFirst("#result")).isNull();
		assertThat(back.body()).doesNotContainIgnoringCase("jsessionid");
		assertThat(predictionRows()).isEqualTo(rows);
		assertThat(storedUploads()).as("the photo is not stored").isEqualTo(uploads);

		HttpResponse<String> classified = send(Multipart.file("image", "cat.jpg", photo("nasser0111_cat.jpg"))
			.post(HttpRequest.newBuilder(uri(html(back).selectFirst("#upload-form").attr("action")))
				.header("Accept-Language", language)), browser);

		assertThat(classified.uri().getPath()).as("the page's new token is good").contains("/predictions/");
	}

	@Test
	void theTrainingFormComesBackWithItsFieldsButNoRunStarts() {
		logInAsAdmin();
		Map<String, String> fields = Map.of("name", "stale_pets", "titleEn", "Pets", "titleFr", "Animaux", "baseModel",
				TestModels.REFERENCE);

		HttpResponse<String> back = send(Multipart.file("archive", "photos.zip", new byte[] { 'P', 'K', 3, 4 }, fields)
			.post(HttpRequest.newBuilder(uri("/training?_csrf=not-this-sessions-token"))
				.header("Accept-Language", "fr")));

		assertThat(back.statusCode()).isEqualTo(403);
		Document page = html(back);
		assertThat(page.selectFirst("#stale").text()).startsWith("Votre session avait expiré : le zip n’a pas été");
		assertThat(page.selectFirst("#name").attr("value")).isEqualTo("stale_pets");
		assertThat(page.selectFirst("#titleEn").attr("value")).isEqualTo("Pets");
		assertThat(page.selectFirst("#titleFr").attr("value")).isEqualTo("Animaux");
		assertThat(page.selectFirst("#baseModel option[selected]").attr("value")).isEqualTo(TestModels.REFERENCE);
		assertThat(page.select("#jobs a").eachText()).as("no run started").doesNotContain("stale_pets");
	}

	@Test
	void theTrainingScriptReadsWhyAsJson() {
		logInAsAdmin();

		HttpResponse<String> refused = send(
				HttpRequest.newBuilder(uri("/training?name=stale_script&titleEn=T&baseModel=" + TestModels.REFERENCE))
					.header("Content-Type", "application/zip")
					.header("Accept", "application/json")
					.header("Accept-Language", "en")
					.header("X-CSRF-TOKEN", "not-this-sessions-token")
					.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] { 'P', 'K', 3, 4 })));

		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = JSON.readTree(refused.body());
		assertThat(problem.get("code").asString()).isEqualTo("stale");
		assertThat(problem.get("detail").asString()).startsWith("Nothing was done").contains("Reload the page");
	}

	@Test
	void anAdminWhoseSessionExpiredIsAskedToLogInRatherThanShownTheTrainingForm() {
		String oldToken = tokenOf(get(browser, "/login", "en"));
		restart();

		HttpResponse<String> answer = send(Multipart.file("archive", "photos.zip", new byte[] { 'P', 'K', 3, 4 })
			.post(HttpRequest.newBuilder(uri("/training?_csrf=" + oldToken))), browser);

		assertThat(answer.uri().getPath()).isEqualTo("/login");
		assertThat(html(answer).selectFirst("#training-form")).isNull();
	}

	@Test
	void aStaleLoginFormSaysToLogInAgainAndThenLogsIn() {
		get(browser, "/login", "en");

		HttpResponse<String> back = postForm(browser, "/login",
				"username=admin&password=" + ADMIN_PASSWORD + "&_csrf=not-this-sessions-token", "en");

		assertThat(back.statusCode()).isEqualTo(403);
		assertThat(html(back).selectFirst("#stale").text())
			.isEqualTo("Your session had expired before you logged in. Log in again.");
		assertThat(html(back).selectFirst("#login-form")).isNotNull();

		HttpResponse<String> in = postForm(browser, "/login",
				"username=admin&password=" + ADMIN_PASSWORD + "&_csrf=" + tokenOf(back), "en");

		assertThat(in.uri().getPath()).isNotEqualTo("/login");
		assertThat(html(in).selectFirst("#account").text()).contains("admin");
	}

	@Test
	void loggingOutOfASessionThatExpiredLeadsToTheStartPage() {
		String token = tokenOf(get(browser, "/login", "en"));
		HttpResponse<String> in = postForm(browser, "/login",
				"username=admin&password=" + ADMIN_PASSWORD + "&_csrf=" + token, "en");
		String pageToken = tokenOf(in);
		restart();

		HttpResponse<String> out = postForm(browser, "/logout", "_csrf=" + pageToken, "en");

		assertThat(out.statusCode()).isEqualTo(200);
		assertThat(out.uri().getPath()).isEqualTo("/demo");
	}

	@Test
	void aStaleFormWithoutAPageOfItsOwnGetsAnErrorPageThatSaysWhatToDo() {
		HttpResponse<String> refused = postForm(browser, "/predictions/1/feedback",
				"label=Dog&_csrf=not-this-sessions-token", "fr");

		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(html(refused).selectFirst("#error").text()).startsWith("Rien n’a été fait")
			.contains("Rechargez la page")
			.doesNotContain("statut");
	}

	@Test
	void noLinkCarriesTheSessionId() {
		for (String path : new String[] { "/", "/demo", "/credit", "/image/" + TestModels.REFERENCE, "/login" }) {
			HttpClient firstVisit = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
			HttpResponse<String> page = send(HttpRequest.newBuilder(uri(path)), firstVisit);

			assertThat(page.uri().toString()).as(path).doesNotContainIgnoringCase("jsessionid");
			assertThat(page.body()).as(path).doesNotContainIgnoringCase("jsessionid");
			assertThat(html(page).select("a[href], form[action], link[href], script[src], img[src]"))
				.allSatisfy(link -> assertThat(link.attr("href") + link.attr("action") + link.attr("src")).as(path)
					.doesNotContain(";"));
		}
		HttpResponse<String> credit = send(HttpRequest.newBuilder(uri("/credit")), HttpClient.newBuilder().build());
		assertThat(credit.headers().allValues("Set-Cookie")).as("the session starts on this very page")
			.anySatisfy(cookie -> assertThat(cookie).startsWith("JSESSIONID="));
	}

	/**
	 * What an app restart or an expired session leaves: the page the browser shows still
	 * carries its old token, and the server has no session that holds it.
	 */
	private void restart() {
		cookies.getCookieStore().removeAll();
	}

	private static String answers() {
		return CreditWebTests.applicant()
			.entrySet()
			.stream()
			.map(entry -> entry.getKey() + "="
					+ URLEncoder.encode(String.valueOf(entry.getValue()), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	private static void assertEveryAnswerIsKept(Document page) {
		CreditWebTests.applicant().forEach((name, value) -> {
			Element field = page.getElementById(name);
			assertThat(field).as(name).isNotNull();
			String shown = field.tagName().equals("select") ? field.select("option[selected]").attr("value")
					: field.attr("value");
			assertThat(shown).as(name).isEqualTo(String.valueOf(value));
		});
	}

	private static String tokenOf(HttpResponse<String> page) {
		return html(page).selectFirst("input[name=_csrf]").attr("value");
	}

	private HttpResponse<String> get(HttpClient client, String path, String language) {
		return send(HttpRequest.newBuilder(uri(path)).header("Accept-Language", language), client);
	}

	/**
	 * As a browser posts a form: asking for HTML, which Spring Boot's error page needs.
	 */
	private HttpResponse<String> postForm(HttpClient client, String path, String form, String language) {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
			.header("Accept-Language", language)
			.POST(HttpRequest.BodyPublishers.ofString(form)), client);
	}

}
