package org.mlpages.web;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may see what, CSRF on every form, the login throttle and the security headers. */
class SecurityWebTests extends WebTestSupport {

	@Test
	void theHistoryAsksForTheAdminAccount() {
		HttpResponse<String> anonymous = get("/history", "en");

		assertThat(anonymous.uri().getPath()).isEqualTo("/login");
		assertThat(html(anonymous).selectFirst("h1").text()).isEqualTo("Log in");

		logInAsAdmin();
		assertThat(get("/history", "en").uri().getPath()).isEqualTo("/history");
	}

	@Test
	void aWrongPasswordIsRefused() {
		HttpResponse<String> response = postForm("/login", "username=admin&password=guess", "en");

		assertThat(response.uri().getPath()).isEqualTo("/login");
		assertThat(html(response).selectFirst("#error").text()).isEqualTo("Wrong user name or password.");
	}

	@Test
	void aFormPostedWithoutItsCsrfTokenIsRefusedAndNotLogged() {
		long rows = predictionRows();

		HttpResponse<String> credit = send(HttpRequest.newBuilder(uri("/credit"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("age=30")));
		HttpResponse<String> photo = send(Multipart.file("image", "cat.jpg", photo("nasser0111_cat.jpg"))
			.post(HttpRequest.newBuilder(uri("/image/" + TestModels.REFERENCE))));

		assertThat(credit.statusCode()).isEqualTo(403);
		assertThat(photo.statusCode()).isEqualTo(403);
		assertThat(photo.body()).doesNotContain("Exception");
		assertThat(predictionRows()).isEqualTo(rows);
	}

	@Test
	void somebodyElsesResultAndPhotoAreNotShown() {
		HttpResponse<String> mine = upload("/image/" + TestModels.REFERENCE, "image", "cat.jpg",
				photo("nasser0111_cat.jpg"), "en");
		String resultPath = mine.uri().getPath();
		String photoPath = html(mine).selectFirst("#result img").attr("src");
		HttpClient stranger = HttpClient.newBuilder()
			.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
			.build();

		assertThat(status(stranger, resultPath)).isEqualTo(404);
		assertThat(status(stranger, photoPath)).isEqualTo(404);
		assertThat(get(resultPath, "en").statusCode()).as("its author still sees it").isEqualTo(200);
	}

	@Test
	void tenFailedLoginsFromOneAddressBlockItForAMinute() {
		String address = "203.0.113." + (int) (Math.random() * 250 + 1);
		for (int i = 0; i < 10; i++) {
			loginFrom(address, "wrong-" + i);
		}

		HttpResponse<String> blocked = loginFrom(address, ADMIN_PASSWORD);

		assertThat(blocked.statusCode()).isEqualTo(429);
		assertThat(html(blocked).selectFirst("#error").text()).contains("wait a minute");
		assertThat(loginFrom("198.51.100.9", ADMIN_PASSWORD).uri().getPath()).as("other addresses are not blocked")
			.isEqualTo("/history");
	}

	@Test
	void everyPageCarriesTheSecurityHeaders() {
		HttpResponse<String> page = get("/", "en");

		assertThat(page.headers().firstValue("Content-Security-Policy"))
			.hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'", "frame-ancestors 'none'"));
		assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
	}

	@Test
	void theApiAnswersWithoutASessionOrCsrfTokenAndWithTheSecurityHeaders() {
		HttpClient fresh = HttpClient.newBuilder().build();
		HttpResponse<String> prediction = send(
				Multipart.file("image", "cat.jpg", photo("nasser0111_cat.jpg"))
					.post(HttpRequest.newBuilder(uri("/api/v1/models/" + TestModels.REFERENCE + "/predictions"))),
				fresh);

		assertThat(prediction.statusCode()).isEqualTo(200);
		assertThat(prediction.headers().allValues("Set-Cookie")).as("no session for the API").isEmpty();
		assertThat(prediction.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(prediction.headers().firstValue("Content-Security-Policy")).isPresent();
		assertThat(get("/actuator/metrics", "en").uri().getPath()).as("the rest of the site keeps its rules")
			.isEqualTo("/login");
	}

	private HttpResponse<String> loginFrom(String address, String password) {
		HttpClient client = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NORMAL)
			.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
			.build();
		try {
			String token = html(
					client.send(HttpRequest.newBuilder(uri("/login")).header("X-Forwarded-For", address).build(),
							HttpResponse.BodyHandlers.ofString()))
				.selectFirst("input[name=_csrf]")
				.attr("value");
			String form = "username=admin&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf="
					+ token;
			return client.send(HttpRequest.newBuilder(uri("/login"))
				.header("X-Forwarded-For", address)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private int status(HttpClient client, String path) {
		try {
			return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
