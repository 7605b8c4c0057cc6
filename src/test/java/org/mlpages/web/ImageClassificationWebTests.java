package org.mlpages.web;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.mlpages.image.photo.EnlargedPhoto;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Photos through the page and the API of the running app, compared with the reference
 * outputs. The reference resized whole photos, so these tests use the shipped model
 * described that way; JPEG decoders differ by a level here and there, hence a tolerance
 * on the probabilities, not on the label.
 */
class ImageClassificationWebTests extends WebTestSupport {

	private static final ReferenceOutputs REFERENCE = ReferenceOutputs.load();

	/**
	 * Probability difference allowed between this app and the reference for the same
	 * photo.
	 */
	private static final double TOLERANCE = 0.01;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void theApiGivesTheReferenceAnswerForEveryReferencePhoto() {
		for (int i = 0; i < REFERENCE.photos().size(); i++) {
			String name = REFERENCE.photos().get(i);
			HttpResponse<String> response = upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image",
					name, photo(name), "en");

			assertThat(response.statusCode()).as(name).isEqualTo(200);
			JsonNode body = JSON.readTree(response.body());
			assertThat(body.get("label").asString()).as(name).isEqualTo(REFERENCE.label(i));
			assertThat(body.get("probabilities").get("Cat").asDouble()).as(name)
				.isCloseTo(REFERENCE.probabilities()[i][0], within(TOLERANCE));
			assertThat(body.get("probabilities").get("Dog").asDouble()).as(name)
				.isCloseTo(REFERENCE.probabilities()[i][1], within(TOLERANCE));
			assertThat(body.get("model").asString()).isEqualTo(TestModels.REFERENCE);
			assertThat(body.get("modelSha256").asString()).hasSize(64);
			assertThat(body.get("latencyMs").asDouble()).isPositive();
		}
	}

	@Test
	void concurrentClientsEachGetTheAnswerForTheirOwnPhoto() throws Exception {
		int clients = 8;
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		try {
			List<Future<JsonNode>> answers = new ArrayList<>();
			for (int i = 0; i < REFERENCE.photos().size(); i++) {
				String name = REFERENCE.photos().get(i);
				answers.add(pool
					.submit(() -> JSON.readTree(upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions",
							"image", name, photo(name), "en")
						.body())));
			}
			for (int i = 0; i < answers.size(); i++) {
				JsonNode body = answers.get(i).get(60, TimeUnit.SECONDS);
				assertThat(body.get("label").asString()).as(REFERENCE.photos().get(i)).isEqualTo(REFERENCE.label(i));
				assertThat(body.get("probabilities").get("Cat").asDouble()).as(REFERENCE.photos().get(i))
					.isCloseTo(REFERENCE.probabilities()[i][0], within(TOLERANCE));
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void thePageShowsThePhotoTheAnswerAndABarPerClass() {
		String name = "nasser0111_dog.jpg";
		long rowsBefore = predictionRows();

		HttpResponse<String> response = upload("/image/" + TestModels.REFERENCE, "image", name, photo(name), "en");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.uri().getPath()).matches("/image/" + TestModels.REFERENCE + "/predictions/\\d+");
		Document page = html(response);
		assertThat(page.selectFirst("#answer").text()).matches("Dog \\d{1,3} %");
		assertThat(page.select("#probabilities .probability")).hasSize(2);
		assertThat(page.select("#probabilities .prob-label").eachText()).containsExactly("Cat", "Dog");
		assertThat(page.selectFirst("#timing").text()).contains("ms");
		Element photo = page.selectFirst("#result img");
		HttpResponse<String> image = get(photo.attr("src"), "en");
		assertThat(image.statusCode()).isEqualTo(200);
		assertThat(image.headers().firstValue("Content-Type")).hasValue("image/jpeg");
		assertThat(predictionRows()).isEqualTo(rowsBefore + 1);
	}

	/**
	 * Without JavaScript the page is the plain form: one file input sent, and none of the
	 * camera, drop or waiting controls the script brings to life.
	 */
	@Test
	void withoutJavaScriptTheFormIsTheFileInputAndItsButton() {
		Document page = html(get("/image/" + TestModels.REFERENCE, "en"));

		Element form = page.selectFirst("form#upload-form");
		assertThat(form.attr("action")).contains("_csrf=");
		assertThat(form.select("input[type=file][name]").eachAttr("name")).as("one photo sent")
			.containsExactly("image");
		assertThat(form.selectFirst("#camera-capture").attr("capture")).isEqualTo("environment");
		assertThat(page.select("#drop-hint, #camera-take, #camera-open, #camera-panel, #photo-message, #photo-preview, "
				+ "#upload-status"))
			.hasSize(7)
			.allSatisfy(element -> assertThat(element.hasAttr("hidden")).as(element.id()).isTrue());
		assertThat(page.selectFirst("script[src$=/js/photo-form.js]").hasAttr("defer")).isTrue();
	}

	@Test
	void thePageSpeaksFrenchToAFrenchBrowser() {
		String name = "nasser0111_cat.jpg";

		Document page = html(upload("/image/" + TestModels.REFERENCE, "image", name, photo(name), "fr-FR,fr;q=0.9"));

		assertThat(page.selectFirst("#answer").text()).matches("Chat \\d{1,3} %");
		assertThat(page.select("#probabilities .prob-label").eachText()).containsExactly("Chat", "Chien");
		assertThat(page.selectFirst("h1").text()).startsWith("Chat ou chien ?");
		assertThat(page.selectFirst("html").attr("lang")).isEqualTo("fr");
	}

	@Test
	void aPhotoFarSmallerThanTheModelsInputIsAnsweredWithAWarning() {
		HttpResponse<String> response = upload("/image/" + TestModels.REFERENCE, "image", "thumb.png", png(60, 60),
				"en");

		assertThat(response.statusCode()).isEqualTo(200);
		Document page = html(response);
		assertThat(page.selectFirst("#answer")).isNotNull();
		assertThat(page.select("#warnings.alert-warning .warning").eachAttr("data-code")).containsExactly("small");
		assertThat(page.selectFirst("#warnings").text())
			.contains("only 60 x 60 pixels, far smaller than the 224 x 224 the model looks at");
		assertThat(html(get(response.uri().getPath(), "en")).select("#warnings .warning"))
			.as("the warning stays with the result when it is reloaded")
			.hasSize(1);
	}

	@Test
	void theWarningSpeaksFrenchToAFrenchBrowser() {
		Document page = html(
				upload("/image/" + TestModels.REFERENCE, "image", "vignette.png", png(60, 60), "fr-FR,fr;q=0.9"));

		assertThat(page.selectFirst("#warnings").text())
			.contains("ne fait que 60 x 60 pixels, bien moins que les 224 x 224 que le modèle examine");
	}

	@Test
	void theApiListsTheWarningsWithACodeAndAMessageInTheClientsLanguage() {
		JsonNode small = JSON.readTree(upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image",
				"thumb.png", png(60, 60), "en")
			.body());
		JsonNode elongated = JSON.readTree(upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image",
				"panorama.png", png(1200, 150), "fr")
			.body());

		assertThat(small.get("id").asLong()).isPositive();
		assertThat(small.get("warnings")).hasSize(1);
		assertThat(small.get("warnings").get(0).get("code").asString()).isEqualTo("small");
		assertThat(small.get("warnings").get(0).get("message").asString()).contains("only 60 x 60 pixels");
		assertThat(elongated.get("warnings")).hasSize(1);
		assertThat(elongated.get("warnings").get(0).get("code").asString()).isEqualTo("elongated");
		assertThat(elongated.get("warnings").get(0).get("message").asString())
			.startsWith("Cette photo (1200 x 150 pixels) est bien plus allongée");
	}

	@Test
	void anElongatedPhotoIsWarnedOnThePage() {
		Document page = html(upload("/image/" + TestModels.SHIPPED, "image", "banner.png", png(1000, 100), "en"));

		assertThat(page.selectFirst("#answer")).isNotNull();
		assertThat(page.select("#warnings .warning").eachAttr("data-code")).containsExactly("small", "elongated");
		assertThat(page.selectFirst("#warnings").text()).contains("(1000 x 100 pixels) is far more elongated");
	}

	@Test
	void anOrdinaryPhotoHasNoWarning() {
		String name = "cdf_validation_dog.2009.jpg";

		HttpResponse<String> page = upload("/image/" + TestModels.REFERENCE, "image", name, photo(name), "en");
		HttpResponse<String> api = upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image", name,
				photo(name), "en");

		assertThat(html(page).selectFirst("#answer")).isNotNull();
		assertThat(html(page).selectFirst("#warnings")).isNull();
		assertThat(JSON.readTree(api.body()).get("warnings").isArray()).isTrue();
		assertThat(JSON.readTree(api.body()).get("warnings")).isEmpty();
	}

	@Test
	void theShippedDescriptorCropsTheCentreAndStillAnswers() {
		// a square photo crops to itself, so the shipped model must agree with the
		// reference there
		String name = "cdf_validation_dog.2001.jpg";
		int index = REFERENCE.photos().indexOf(name);

		HttpResponse<String> response = upload("/api/v1/models/" + TestModels.SHIPPED + "/predictions", "image", name,
				photo(name), "en");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.get("label").asString()).isEqualTo(REFERENCE.label(index));
	}

	@Test
	void everyPredictionIsARowWithItsInputAndModel() {
		String name = "cdf_validation_cat.2003.jpg";
		HttpResponse<String> response = upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image", name,
				photo(name), "en");
		long id = JSON.readTree(response.body()).get("id").asLong();

		Map<String, Object> row = jdbc.queryForMap("select * from prediction where id = ?", id);

		assertThat(row.get("model_name")).isEqualTo(TestModels.REFERENCE);
		assertThat((String) row.get("model_sha256")).matches("[0-9a-f]{64}");
		assertThat((String) row.get("stored_file")).matches("[0-9a-f-]{36}\\.jpg");
		assertThat(row.get("original_name")).isEqualTo(name);
		assertThat(((Number) row.get("image_width")).intValue()).isEqualTo(240);
		assertThat(((Number) row.get("image_height")).intValue()).isEqualTo(189);
		assertThat(row.get("channel")).isEqualTo("api");
		assertThat((String) row.get("probabilities")).contains("\"Cat\"").contains("\"Dog\"");
		assertThat(UPLOADS.resolve((String) row.get("stored_file"))).exists();
	}

	/**
	 * A photo of the most pixels accepted is decoded at reduced resolution: it answers as
	 * the photo it was enlarged from does, and keeps its real size in the answer and the
	 * row.
	 */
	@Test
	void aFortyMegapixelPhotoIsAnsweredLikeTheOriginalWithItsRealSize() throws Exception {
		String name = "nasser0111_dog.jpg";
		EnlargedPhoto large = EnlargedPhoto.of(ImageIO.read(PHOTOS.resolve(name).toFile()), 39_900_000);
		int width = large.width();
		int height = large.height();
		String api = "/api/v1/models/" + TestModels.SHIPPED + "/predictions";

		JsonNode small = JSON.readTree(upload(api, "image", name, photo(name), "en").body());
		HttpResponse<String> response = upload(api, "image", "large.jpg", large.jpeg(), "en");

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.get("label").asString()).isEqualTo(small.get("label").asString());
		assertThat(body.get("probabilities").get("Dog").asDouble())
			.isCloseTo(small.get("probabilities").get("Dog").asDouble(), within(0.05));
		assertThat(body.get("width").asInt()).isEqualTo(width);
		assertThat(body.get("height").asInt()).isEqualTo(height);
		Map<String, Object> row = jdbc.queryForMap("select * from prediction where id = ?", body.get("id").asLong());
		assertThat(((Number) row.get("image_width")).intValue()).isEqualTo(width);
		assertThat(((Number) row.get("image_height")).intValue()).isEqualTo(height);
	}

}
