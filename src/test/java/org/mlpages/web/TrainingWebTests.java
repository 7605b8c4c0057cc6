package org.mlpages.web;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.mlpages.monitoring.PrometheusText;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An administrator trains a model from a zip and publishes it, as the training page's
 * script and form do; hostile or unusable zips are refused with their reason.
 */
class TrainingWebTests extends TrainingTestSupport {

	@Test
	void strangersAreSentToTheLoginPage() {
		HttpResponse<String> response = get("/training", "en");
		assertThat(response.uri().getPath()).isEqualTo("/login");
	}

	@Test
	void adminTrainsWatchesAndPublishesAModelThatThenAnswersOnItsOwnPage() throws Exception {
		logInAsAdmin();
		Document form = html(get("/training", "en"));
		assertThat(form.select("select[name=baseModel] option").eachAttr("value")).contains("cat_dog_model");
		assertThat(form.select("select[name=baseModel] option").eachText()).as("each base model by its title alone")
			.contains("Cat or dog? (original Teachable Machine model)")
			.noneMatch(text -> text.matches(".*\\(\\w+_\\w+\\).*"));

		HttpResponse<String> started = postZip("pets", "Pets", "Animaux", zipOf(classFolders()), "en");
		assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
		String location = started.headers().firstValue("Location").orElseThrow();
		assertThat(started.body()).contains(location.substring(location.indexOf("/training/")));

		// the page's script polls this while the run goes on
		String progress = waitUntilFinished(location.substring(location.indexOf("/training/")) + "/progress");
		assertThat(progress).contains("\"state\":\"DONE\"").contains("\"percent\":100");

		Document job = html(get(location.substring(location.indexOf("/training/")), "fr"));
		assertThat(job.selectFirst("#accuracy").text()).startsWith("Exactitude en validation");
		assertThat(job.select("#confusion tbody tr")).hasSize(2);
		assertThat(job.select("#counts tbody td").eachText()).contains("cats", "dogs");

		HttpResponse<String> published = postForm(location.substring(location.indexOf("/training/")) + "/publish", "",
				"en");
		assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
		assertThat(published.uri().getPath()).isEqualTo("/image/pets");
		assertThat(html(published).select("#menu a").eachText()).contains("Pets");
		assertThat(Path.of(MODELS, "pets.h5")).exists();
		assertThat(Path.of(MODELS, "pets.yml")).exists();
		assertThat(Path.of(MODELS, "pets.report.md")).exists();

		HttpResponse<String> answer = send(Multipart.file("image", "cat.jpg", photo("cdf_validation_cat.2000.jpg"))
			.post(HttpRequest.newBuilder(uri("/api/v1/models/pets/predictions"))));
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(answer.body()).contains("\"cats\"").contains("\"dogs\"");
		// the operator's metrics watch the published model as those found at start-up
		PrometheusText metrics = PrometheusText
			.parse(send(HttpRequest.newBuilder(uri("/actuator/prometheus")), HttpClient.newHttpClient()).body());
		assertThat(metrics.value("mlpages_model_state", "model", "pets", "state", "ready")).isEqualTo(1);
		assertThat(metrics.value("mlpages_inference_capacity", "model", "pets")).isPositive();
		assertThat(metrics.value("mlpages_predictions_total", "model", "pets", "channel", "api")).isEqualTo(1);

		HttpResponse<String> again = postZip("pets", "Pets", null, zipOf(classFolders()), "en");
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(again.body()).contains("A model named pets already exists");
	}

	@Test
	void hostileAndUnusableZipsAreRefusedWithTheirReason() throws Exception {
		logInAsAdmin();
		List<Path> before = workFolders();
		Map<String, byte[]> climbing = classFolders();
		climbing.put("../../evil.jpg", photo("cdf_validation_cat.2001.jpg"));
		assertRefused(zipOf(climbing), 400, "unsafe-path", "points outside its folder (../../evil.jpg)");

		Map<String, byte[]> single = new LinkedHashMap<>();
		classFolders().forEach((name, bytes) -> {
			if (name.startsWith("cats/")) {
				single.put(name, bytes);
			}
		});
		assertRefused(zipOf(single), 400, "single-class", "a single class folder (cats)");

		Map<String, byte[]> text = classFolders();
		text.put("dogs/readme.jpg", "not a photo".getBytes(StandardCharsets.UTF_8));
		assertRefused(zipOf(text), 415, "photo-not-an-image", "dogs/readme.jpg is not a photo");

		assertRefused(photo("cdf_validation_cat.2000.jpg"), 415, "not-a-zip", "not a zip archive");

		Map<String, byte[]> bomb = classFolders();
		bomb.put("dogs/bomb.jpg", new byte[20 * 1024 * 1024]);
		assertRefused(zipOf(bomb), 413, "file-too-large", "dogs/bomb.jpg unpacks to more than 10 MB");

		assertThat(workFolders()).as("refused zips leave nothing behind").isEqualTo(before);
	}

	@Test
	void theFormWithoutScriptShowsTheRefusalBesideTheForm() {
		logInAsAdmin();
		Map<String, String> fields = Map.of("name", "with space", "titleEn", "T", "baseModel", "cat_dog_model");
		HttpResponse<String> response = send(Multipart.file("archive", "photos.zip", zipOf(classFolders()), fields)
			.post(HttpRequest.newBuilder(uri("/training?_csrf=" + csrfToken())).header("Accept-Language", "fr")));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(html(response).selectFirst("#name + .invalid-feedback").text()).startsWith("Lettres, chiffres");

		Map<String, String> valid = Map.of("name", "dogs_only", "titleEn", "T", "baseModel", "cat_dog_model");
		Map<String, byte[]> single = new LinkedHashMap<>();
		single.put("dogs/a.jpg", photo("cdf_validation_dog.2000.jpg"));
		single.put("dogs/b.jpg", photo("cdf_validation_dog.2001.jpg"));
		HttpResponse<String> refused = send(Multipart.file("archive", "photos.zip", zipOf(single), valid)
			.post(HttpRequest.newBuilder(uri("/training?_csrf=" + csrfToken())).header("Accept-Language", "en")));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(html(refused).selectFirst("#error").text()).contains("a single class folder (dogs)");

		// over the multipart limit (11 MB in the tests' settings): the zip's own advice,
		// not a photo's
		Map<String, byte[]> heavy = classFolders();
		byte[] noise = new byte[12 * 1024 * 1024];
		new java.util.Random(42).nextBytes(noise);
		heavy.put("dogs/noise.jpg", noise);
		HttpResponse<String> tooLarge = send(Multipart.file("archive", "photos.zip", zipOf(heavy), valid)
			.post(HttpRequest.newBuilder(uri("/training?_csrf=" + csrfToken())).header("Accept-Language", "en")));
		assertThat(tooLarge.statusCode()).isEqualTo(413);
		assertThat(html(tooLarge).text()).contains("Without JavaScript, this form sends zips of 11 MB at most");
	}

	private static List<Path> workFolders() throws IOException {
		Path work = Path.of(WORK);
		if (!Files.isDirectory(work)) {
			return List.of();
		}
		try (Stream<Path> folders = Files.list(work)) {
			return folders.sorted().toList();
		}
	}

	private void assertRefused(byte[] zip, int status, String code, String message) {
		HttpResponse<String> response = postZip("refused", "Refused", null, zip, "en");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.body()).contains("\"code\":\"" + code + "\"").contains(message);
	}

	/** As the page's script sends it: the zip as the body, the fields in the query. */
	private HttpResponse<String> postZip(String name, String titleEn, String titleFr, byte[] zip, String language) {
		String query = "name=" + name + "&titleEn=" + URLEncoder.encode(titleEn, StandardCharsets.UTF_8)
				+ (titleFr != null ? "&titleFr=" + URLEncoder.encode(titleFr, StandardCharsets.UTF_8) : "")
				+ "&baseModel=cat_dog_model";
		return send(HttpRequest.newBuilder(uri("/training?" + query))
			.header("Content-Type", "application/zip")
			.header("Accept", "application/json")
			.header("Accept-Language", language)
			.header("X-CSRF-TOKEN", csrfToken())
			.POST(HttpRequest.BodyPublishers.ofByteArray(zip)));
	}

	private String waitUntilFinished(String progressPath) throws InterruptedException {
		Instant giveUp = Instant.now().plus(Duration.ofMinutes(5));
		while (Instant.now().isBefore(giveUp)) {
			HttpResponse<String> response = send(
					HttpRequest.newBuilder(uri(progressPath)).header("Accept", "application/json").GET());
			assertThat(response.statusCode()).isEqualTo(200);
			if (response.body().contains("\"finished\":true")) {
				return response.body();
			}
			Thread.sleep(500);
		}
		throw new AssertionError("the training run did not finish in 5 minutes");
	}

}
