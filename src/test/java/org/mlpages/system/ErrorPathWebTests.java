package org.mlpages.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Controller;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page whose template fails while it is drawn (a bug, or data the template did not
 * expect) reaches Tomcat's error path after Spring MVC's handlers are done. The person
 * gets the app's error page in their language, a client that asked for JSON a problem
 * detail, both with the 500; the operator gets the failure logged once, not a second
 * failure of the error answer itself. The app runs without image models: none is needed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "mlpages.models-dir=target/test-models-none")
@ActiveProfiles("test")
@Import(ErrorPathWebTests.FailingPage.class)
@ExtendWith(OutputCaptureExtension.class)
class ErrorPathWebTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"en|Something unexpected went wrong on our side. It has been logged; please try again.",
			"fr|Une erreur inattendue s’est produite de notre côté. Elle a été journalisée ; veuillez réessayer." })
	void aPageThatFailsWhileDrawnGivesTheErrorPageInTheReadersLanguage(String language, String message,
			CapturedOutput output) {
		HttpResponse<String> answer = get("text/html,application/xhtml+xml,*/*;q=0.8", language);

		assertThat(answer.statusCode()).isEqualTo(500);
		assertThat(answer.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
		Document page = Jsoup.parse(answer.body());
		assertThat(page.selectFirst("main, body").text()).contains(message);
		assertThat(page.select("nav a")).as("the menu, to go on from there").isNotEmpty();
		assertThat(answer.body()).doesNotContain("Exception", "broken.value", "Drawn before the failure");
		assertFailureLoggedOnce(output);
	}

	@Test
	void aClientAskingForJsonGetsAProblemDetailAndTheLogHasNoSecondFailure(CapturedOutput output) throws IOException {
		HttpResponse<String> answer = get("application/json", "en");

		assertThat(answer.statusCode()).isEqualTo(500);
		assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = JSON.readTree(answer.body());
		assertThat(problem.path("status").asInt()).isEqualTo(500);
		assertThat(problem.path("detail").asString()).startsWith("Something unexpected went wrong on our side.");
		assertThat(answer.body()).doesNotContain("Exception", "broken.value");
		assertFailureLoggedOnce(output);
	}

	private static void assertFailureLoggedOnce(CapturedOutput output) {
		assertThat(output.getOut()).as("the failure, logged by Tomcat")
			.contains("broken page: the value cannot be read");
		assertThat(output.getOut()).as("the error answer itself does not fail")
			.doesNotContain("No converter", "GET /error failed");
	}

	private HttpResponse<String> get(String accept, String language) {
		try {
			return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/test/failing-page"))
				.header("Accept", accept)
				.header("Accept-Language", language)
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A page whose template reads a value that cannot be read. */
	@Controller
	static class FailingPage {

		@GetMapping("/test/failing-page")
		String page(Model model) {
			model.addAttribute("broken", new Broken());
			return "test/failing-page";
		}

	}

	public static class Broken {

		public String getValue() {
			throw new IllegalStateException("broken page: the value cannot be read");
		}

	}

}
