package org.mlpages.deploy;

import java.io.ByteArrayOutputStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.FormElement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.mlpages.jar.PackagedApp;
import org.mlpages.jar.UnitStart;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged app behind the real Nginx running the shipped site ({@link NginxSite}),
 * checked over https as a browser and an API client see it: TLS, http to https, uploads
 * under and over each limit, the app's redirects, the security headers, the actuator and
 * the rate limit on POSTs. The burst of POSTs runs last, since it empties this client's
 * allowance.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NginxSiteIT {

	private static final Path DOG = Path.of("src/test/resources/photos/cdf_validation_dog.2000.jpg");

	private static final String ADMIN_PASSWORD = "nginx-it-" + UUID.randomUUID();

	private static final List<String> SECURITY_HEADERS = List.of("Strict-Transport-Security", "X-Content-Type-Options",
			"X-Frame-Options", "Referrer-Policy", "Content-Security-Policy");

	private static PackagedApp app;

	private static NginxSite nginx;

	private static NginxSite.Certificate certificate;

	private static Path webroot;

	private static int httpPort;

	private static int httpsPort;

	@BeforeAll
	static void startAppBehindNginx() throws Exception {
		Path binary = NginxSite.nginx();
		Path prefix = NginxSite.prefix();
		certificate = NginxSite.selfSigned(prefix, NginxSite.DOMAIN);
		webroot = prefix.resolve("webroot");
		int appPort = PackagedApp.freePort();
		httpPort = PackagedApp.freePort();
		httpsPort = PackagedApp.freePort();
		Path conf = NginxSite.configuration(prefix, NginxSite.site(certificate, httpPort, httpsPort, appPort, webroot));
		app = UnitStart.prepared()
			.withEnvironment("MLPAGES_ADMIN_PASSWORD", ADMIN_PASSWORD)
			.start(PackagedApp.workDir(), appPort);
		nginx = NginxSite.start(binary, prefix, conf, httpsPort);
	}

	@AfterAll
	static void stop() throws Exception {
		if (nginx != null) {
			nginx.close();
		}
		if (app != null) {
			app.close();
		}
	}

	@Test
	@Order(1)
	void aPageIsServedOverHttpsCompressedAndWithoutNginxsVersion() throws Exception {
		HttpResponse<byte[]> about = browser().send(get("/about").header("Accept-Encoding", "gzip").build(),
				HttpResponse.BodyHandlers.ofByteArray());

		assertThat(about.statusCode()).isEqualTo(200);
		assertThat(about.version()).isEqualTo(HttpClient.Version.HTTP_2);
		assertThat(about.headers().firstValue("Content-Encoding")).hasValue("gzip");
		assertThat(gunzip(about.body())).contains("cats_vs_dogs");
		assertThat(about.headers().allValues("Server")).containsExactly("nginx");
	}

	@Test
	@Order(2)
	void httpRedirectsToHttpsButCertbotsChallengeIsServed() throws Exception {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpResponse<String> redirect = http
			.send(HttpRequest.newBuilder(URI.create("http://" + NginxSite.DOMAIN + ":" + httpPort + "/about?lang=fr"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(redirect.statusCode()).isEqualTo(301);
		// the shipped site sends browsers to the https port, 443
		assertThat(redirect.headers().firstValue("Location")).hasValue("https://localhost/about?lang=fr");

		Path challenge = Files.createDirectories(webroot.resolve(".well-known/acme-challenge"));
		Files.writeString(challenge.resolve("token-42"), "token-42.key-authorization");
		HttpResponse<String> acme = http.send(HttpRequest
			.newBuilder(
					URI.create("http://" + NginxSite.DOMAIN + ":" + httpPort + "/.well-known/acme-challenge/token-42"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(acme.statusCode()).isEqualTo(200);
		assertThat(acme.body()).isEqualTo("token-42.key-authorization");
	}

	@Test
	@Order(3)
	void aPhotoIsClassifiedThroughTheProxyOnThePageAndByTheApi() throws Exception {
		HttpClient browser = browser();
		Document form = page(browser, "/image/cats_vs_dogs");
		String action = form.selectFirst("#upload-form").attr("action");
		HttpResponse<String> sent = browser.send(
				multipart(post(action), "image", "dog.jpg", Files.readAllBytes(DOG)).build(),
				HttpResponse.BodyHandlers.ofString());
		// post-redirect-get, to https on the site's own port
		assertThat(sent.statusCode()).as(sent.body()).isEqualTo(302);
		String result = sent.headers().firstValue("Location").orElseThrow();
		assertThat(result).startsWith(site("/image/cats_vs_dogs/predictions/").toString());
		HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(result)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(Jsoup.parse(page.body()).text()).contains("Dog");
		assertNoHttpLink(page.body());
		// the photo as the result page shows it
		String photo = Jsoup.parse(page.body()).selectFirst("img[src^=/uploads/]").attr("src");
		HttpResponse<byte[]> stored = browser.send(get(photo).build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(stored.statusCode()).isEqualTo(200);
		assertThat(stored.body()).isEqualTo(Files.readAllBytes(DOG));
		assertEachSecurityHeaderOnce(stored);

		HttpResponse<String> api = browser.send(
				multipart(post("/api/v1/models/cats_vs_dogs/predictions"), "image", "dog.jpg", Files.readAllBytes(DOG))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
		assertThat(api.body()).contains("\"label\":\"Dog\"");
		assertEachSecurityHeaderOnce(api);
	}

	/**
	 * Over the app's 10 MB, under Nginx's limit: the request reaches the app, which
	 * answers with its own page in the reader's language. Far over: Nginx's page,
	 * readable too, in both languages; and JSON for the API.
	 */
	@Test
	@Order(4)
	void anOverSizePhotoGetsTheAppsOwnPageAndAFarLargerOneNginxsReadablePage() throws Exception {
		HttpClient browser = browser();
		String action = page(browser, "/image/cats_vs_dogs?lang=fr").selectFirst("#upload-form").attr("action");
		HttpResponse<String> appPage = browser.send(
				multipart(post(action), "image", "big.jpg", jpegOf(12 * 1024 * 1024)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(appPage.statusCode()).isEqualTo(413);
		assertThat(Jsoup.parse(appPage.body()).text()).contains("Ce fichier dépasse les 10 Mo acceptés")
			.contains("Chat ou chien");
		assertEachSecurityHeaderOnce(appPage);

		HttpResponse<String> appProblem = browser.send(
				multipart(post("/api/v1/models/cats_vs_dogs/predictions"), "image", "big.jpg", jpegOf(12 * 1024 * 1024))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(appProblem.statusCode()).isEqualTo(413);
		// the app's own problem detail (in French: the page set the language)
		assertThat(appProblem.body()).contains("\"code\":\"too-large\"", "10 Mo");

		// Nginx refuses these on their declared length and does not read them: over
		// HTTP/2 the JDK's client, unlike a browser, goes on waiting to send the body;
		// over HTTP/1.1 Nginx reads and discards it (lingering close), and the client
		// gets the answer
		HttpClient http11 = HttpClient.newBuilder()
			.sslContext(certificate.trustingIt())
			.version(HttpClient.Version.HTTP_1_1)
			.build();
		HttpResponse<String> nginxPage = http11.send(
				multipart(post(action), "image", "huge.jpg", jpegOf(20 * 1024 * 1024)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(nginxPage.statusCode()).isEqualTo(413);
		assertThat(nginxPage.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
		assertThat(Jsoup.parse(nginxPage.body()).text()).contains("File too large", "Fichier trop volumineux");
		assertEachSecurityHeaderOnce(nginxPage);

		HttpResponse<String> nginxProblem = http11.send(multipart(post("/api/v1/models/cats_vs_dogs/predictions"),
				"image", "huge.jpg", jpegOf(20 * 1024 * 1024))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(nginxProblem.statusCode()).isEqualTo(413);
		assertThat(nginxProblem.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(nginxProblem.body()).contains("\"status\":413");
	}

	/**
	 * The training zip has a limit of its own (300 MB), and so has a Keras model (200
	 * MB): a 20 MB body, over the photos' limit, reaches the app there, which answers it.
	 */
	@Test
	@Order(5)
	void aTrainingZipLargerThanAPhotoReachesTheApp() throws Exception {
		HttpClient admin = browser();
		logIn(admin);
		String csrf = page(admin, "/training").selectFirst("#training-form").attr("data-csrf-token");
		HttpResponse<String> answer = admin
			.send(post("/training?_csrf=" + csrf).header("Content-Type", "application/zip")
				.header("Accept", "application/json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[20 * 1024 * 1024]))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
		assertThat(answer.body()).contains("\"code\"");

		// so does a Keras model sent from "Add a model" (here: twenty megabytes of zeros,
		// no model)
		String token = page(admin, "/admin/models/new").selectFirst("#upload-form").attr("data-csrf-token");
		HttpResponse<String> model = admin.send(post("/admin/models/new?file=zeros.keras&_csrf=" + token)
			.header("Content-Type", "application/octet-stream")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[20 * 1024 * 1024]))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(model.statusCode()).as(model.body()).isEqualTo(422);
		assertThat(model.body()).contains("zeros.keras");
	}

	@Test
	@Order(6)
	void theAppsRedirectsAreHttpsOnTheSitesAddress() throws Exception {
		HttpClient browser = browser();
		HttpResponse<String> history = browser.send(get("/history").build(), HttpResponse.BodyHandlers.ofString());
		assertThat(history.statusCode()).isEqualTo(302);
		assertThat(history.headers().firstValue("Location")).hasValue(site("/login").toString());
		assertEachSecurityHeaderOnce(history);
		// the session cookie only travels over https
		assertThat(history.headers().allValues("Set-Cookie"))
			.allSatisfy(cookie -> assertThat(cookie).contains("Secure"));

		HttpResponse<String> loggedIn = logIn(browser);
		assertThat(loggedIn.headers().firstValue("Location")).hasValue(site("/history?continue").toString());

		Document credit = page(browser, "/credit?example=1");
		FormElement form = (FormElement) credit.selectFirst("#tabular-form");
		String body = form.formData()
			.stream()
			.map(field -> encode(field.key()) + "=" + encode(field.value()))
			.collect(Collectors.joining("&"));
		HttpResponse<String> decided = browser
			.send(post("/credit").header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(decided.statusCode()).as(decided.body()).isEqualTo(302);
		String decision = decided.headers().firstValue("Location").orElseThrow();
		assertThat(decision).startsWith(site("/credit/predictions/").toString());
		HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(decision)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(Jsoup.parse(page.body()).select("#decision")).isNotEmpty();
		assertNoHttpLink(page.body());
		assertEachSecurityHeaderOnce(page);
	}

	@Test
	@Order(7)
	void eachSecurityHeaderIsSentOnceWhoeverAnswers() throws Exception {
		HttpClient browser = browser();
		for (String path : List.of("/about", "/demo", "/login", "/css/mlpages.css", "/api/v1/models", "/no-such-page",
				"/actuator/health", "/actuator/env")) {
			HttpResponse<String> answer = browser.send(get(path).build(), HttpResponse.BodyHandlers.ofString());
			assertEachSecurityHeaderOnce(answer);
		}
		HttpResponse<String> page = browser.send(get("/about").build(), HttpResponse.BodyHandlers.ofString());
		// Nginx's HSTS, not the app's (which would add includeSubDomains)
		assertThat(page.headers().allValues("Strict-Transport-Security")).containsExactly("max-age=31536000");
		// the app's own policy on its pages, not Nginx's fallback for its own pages
		assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'");
	}

	@Test
	@Order(8)
	void onlyTheHealthOfTheActuatorIsReachableFromOutside() throws Exception {
		HttpClient browser = browser();
		for (String path : List.of("/actuator/env", "/actuator/prometheus", "/actuator/metrics",
				"/actuator/metrics/jvm.memory.used", "/actuator", "/actuator/", "/actuator/info", "/actuator/beans",
				"/actuator/health/../env", "/actuator/health/..;/env", "/actuator;x/env", "/actuator/%65nv",
				"//actuator/env", "/actuator/healthz")) {
			HttpResponse<String> answer = browser.send(get(path).build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(path).isIn(403, 404);
			assertThat(answer.body()).as(path).doesNotContain("\"_links\"", "propertySources", "jvm_");
		}
		HttpResponse<String> health = browser.send(get("/actuator/health").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"");
		HttpResponse<String> models = browser.send(get("/actuator/health/model-states").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(models.statusCode()).isEqualTo(200);
		assertThat(models.body()).contains("cats_vs_dogs");
	}

	/**
	 * What the outside cannot reach, the server itself scrapes: after the photos
	 * classified through the proxy (order 3), their counts and latencies are there.
	 */
	@Test
	@Order(8)
	void theMetricsAreScrapedFromTheServerItselfWithThePhotosSentThroughTheProxy() throws Exception {
		HttpResponse<String> scrape = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(app.uri("/actuator/prometheus")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(scrape.statusCode()).isEqualTo(200);
		List<String> lines = scrape.body().lines().toList();
		assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("mlpages_predictions_total{")
			.contains("model=\"cats_vs_dogs\"", "answer=\"Dog\"", "channel=\"page\"")
			.endsWith(" 1.0"));
		assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("mlpages_predictions_total{")
			.contains("model=\"cats_vs_dogs\"", "answer=\"Dog\"", "channel=\"api\""));
		assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("mlpages_inference_seconds_count{")
			.contains("model=\"cats_vs_dogs\""));
	}

	/**
	 * A burst of POSTs, as a script or a flood sends them: past the allowance, 429, a
	 * page for a page and JSON for the API. GETs in the same numbers all pass.
	 */
	@Test
	@Order(9)
	void aBurstOfPostsGets429sWhileGetsPass() throws Exception {
		HttpClient browser = browser();
		List<HttpResponse<String>> gets = burst(browser, 60, () -> get("/about").build());
		assertThat(gets).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(200));

		List<HttpResponse<String>> pages = burst(browser, 80,
				() -> post("/credit").header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString("age=40"))
					.build());
		List<HttpResponse<String>> refused = pages.stream().filter(answer -> answer.statusCode() == 429).toList();
		assertThat(refused).as("429s among %s", statuses(pages)).isNotEmpty();
		assertThat(Jsoup.parse(refused.get(0).body()).text()).contains("Too many requests", "Trop de requêtes");
		assertEachSecurityHeaderOnce(refused.get(0));

		List<HttpResponse<String>> api = burst(browser, 80,
				() -> post("/api/v1/models/credit/predictions").header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{}"))
					.build());
		List<HttpResponse<String>> refusedApi = api.stream().filter(answer -> answer.statusCode() == 429).toList();
		assertThat(refusedApi).as("429s among %s", statuses(api)).isNotEmpty();
		assertThat(refusedApi.get(0).headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(refusedApi.get(0).body()).contains("\"status\":429");
		assertThat(nginx.errorLog()).contains("limiting requests");
	}

	private static List<HttpResponse<String>> burst(HttpClient client, int count,
			java.util.function.Supplier<HttpRequest> request) {
		List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			sent.add(client.sendAsync(request.get(), HttpResponse.BodyHandlers.ofString()));
		}
		return sent.stream().map(CompletableFuture::join).toList();
	}

	private static Map<Integer, Long> statuses(List<HttpResponse<String>> answers) {
		return answers.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
	}

	private static HttpResponse<String> logIn(HttpClient browser) throws Exception {
		Document login = page(browser, "/login");
		String csrf = login.selectFirst("#login-form input[name=_csrf]").attr("value");
		HttpResponse<String> loggedIn = browser
			.send(post("/login").header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers
					.ofString("username=admin&password=" + encode(ADMIN_PASSWORD) + "&_csrf=" + encode(csrf)))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(loggedIn.statusCode()).isEqualTo(302);
		assertThat(loggedIn.headers().firstValue("Location").orElseThrow()).startsWith(site("/").toString())
			.doesNotContain("error");
		return loggedIn;
	}

	private static void assertEachSecurityHeaderOnce(HttpResponse<?> answer) {
		for (String header : SECURITY_HEADERS) {
			assertThat(answer.headers().allValues(header))
				.as("%s on %s %s (%d)", header, answer.request().method(), answer.uri(), answer.statusCode())
				.hasSize(1);
		}
	}

	/** Pages carry relative links; none may point at plain http on this site. */
	private static void assertNoHttpLink(String html) {
		assertThat(html).doesNotContain("http://" + NginxSite.DOMAIN);
	}

	/** A browser: trusts the site's certificate, keeps cookies, follows no redirect. */
	private static HttpClient browser() throws Exception {
		return HttpClient.newBuilder()
			.sslContext(certificate.trustingIt())
			.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	}

	private static URI site(String path) {
		return URI.create("https://" + NginxSite.DOMAIN + ":" + httpsPort + path);
	}

	private static HttpRequest.Builder get(String path) {
		return HttpRequest.newBuilder(site(path)).timeout(Duration.ofMinutes(1));
	}

	private static HttpRequest.Builder post(String path) {
		return HttpRequest.newBuilder(site(path)).timeout(Duration.ofMinutes(1));
	}

	private static Document page(HttpClient browser, String path) throws Exception {
		HttpResponse<String> page = browser.send(get(path).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).as(path).isEqualTo(200);
		return Jsoup.parse(page.body(), site(path).toString());
	}

	private static HttpRequest.Builder multipart(HttpRequest.Builder request, String field, String fileName,
			byte[] content) {
		String boundary = "----mlpages" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
				+ fileName + "\"\r\nContent-Type: image/jpeg\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(content);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return request.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
	}

	/** A file of the given size that starts as a JPEG: only its size matters here. */
	private static byte[] jpegOf(int size) {
		byte[] bytes = new byte[size];
		bytes[0] = (byte) 0xFF;
		bytes[1] = (byte) 0xD8;
		bytes[2] = (byte) 0xFF;
		return bytes;
	}

	private static String gunzip(byte[] gzipped) throws Exception {
		try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
				new java.io.ByteArrayInputStream(gzipped))) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
