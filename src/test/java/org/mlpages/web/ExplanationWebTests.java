package org.mlpages.web;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Where the model looked" for a photo's answer: asked from the result page, computed
 * once and then read from the prediction, as numbers and as an image over the part of the
 * photo the model saw; only for the browser that asked and the admin.
 */
class ExplanationWebTests extends WebTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String MODEL = TestModels.RETRAINED;

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"en | Show where the model looked | Class activation map | Compare with the occlusion map | Occlusion map | Back to the class activation map",
			"fr | Montrer où le modèle a regardé | Carte d’activation de classe | Comparer avec la carte d’occultation | Carte d’occultation | Revenir à la carte d’activation de classe" })
	void theResultPageOffersTheMapAndShowsItWhenAsked(String language, String show, String note, String compare,
			String otherNote, String back) {
		String page = classify("nasser0111_cat.jpg", language);

		Document result = html(get(page, language));
		assertThat(result.selectFirst("#look").text()).isEqualTo(show);
		assertThat(result.selectFirst("#heat-map").hasAttr("hidden")).isTrue();
		assertThat(result.selectFirst("#heat-map").attr("src")).isEmpty();
		assertThat(result.selectFirst("#heat-map").attr("style"))
			.as("over the centre of the upright photo, which the model crops to a square")
			.isEqualTo("left: 0.00%; top: 16.67%; width: 100.00%; height: 66.67%");

		// without a script, the button is a link to the page with the map
		Document withMap = html(get(result.selectFirst("#look").attr("href"), language));
		assertThat(withMap.selectFirst("#heat-map").hasAttr("hidden")).isFalse();
		assertThat(withMap.selectFirst("#look-note").text()).startsWith(note);
		HttpResponse<byte[]> png = bytes(withMap.selectFirst("#heat-map").attr("src"), http());
		assertThat(png.statusCode()).isEqualTo(200);
		assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");

		// this model has both maps: the page offers the other one, and back
		assertThat(withMap.selectFirst("#other-map").text()).startsWith(compare);
		Document occlusion = html(get(withMap.selectFirst("#other-map").attr("href"), language));
		assertThat(occlusion.selectFirst("#look-note").text()).startsWith(otherNote);
		assertThat(bytes(occlusion.selectFirst("#heat-map").attr("src"), http()).statusCode()).isEqualTo(200);
		assertThat(occlusion.selectFirst("#other-map").text()).isEqualTo(back);
	}

	@Test
	void theMapIsComputedOnceAndReadAfterwards() throws Exception {
		String page = classify("nasser0111_cat.jpg", "en");
		long id = Long.parseLong(page.substring(page.lastIndexOf('/') + 1));
		assertThat(jdbc.queryForObject("select explanation_json from prediction where id = ?", String.class, id))
			.as("nothing computed while the photo was classified")
			.isNull();

		JsonNode first = JSON.readTree(get(page + "/explanation", "en").body());

		assertThat(first.get("method").asString()).as("the model ends in global pooling and a Dense layer")
			.isEqualTo("class-activation");
		assertThat(first.get("label").asString()).isEqualTo("Cat");
		assertThat(first.get("rows").asInt()).as("MobileNetV2's last feature map").isEqualTo(7);
		assertThat(first.get("values")).hasSize(7);
		assertThat(first.get("values").get(0)).hasSize(7);
		assertThat(first.get("seen").get("width").asInt()).isPositive();
		assertThat(jdbc.queryForObject("select explanation_json from prediction where id = ?", String.class, id))
			.isNotNull();
		JsonNode again = JSON.readTree(get(page + "/explanation", "en").body());
		assertThat(again).as("read, not computed again (same time taken)").isEqualTo(first);

		JsonNode occlusion = JSON.readTree(get(page + "/explanation?method=occlusion", "en").body());
		assertThat(occlusion.get("method").asString()).isEqualTo("occlusion");
		assertThat(occlusion.get("rows").asInt()).isEqualTo(8);
		assertThat(occlusion.get("probability").asDouble()).as("the same answer, whichever the map")
			.isCloseTo(first.get("probability").asDouble(), org.assertj.core.data.Offset.offset(1e-3));
		assertThat(JSON.readTree(get(page + "/explanation?method=occlusion", "en").body())).isEqualTo(occlusion);
		assertThat(JSON.readTree(get(page + "/explanation", "en").body())).isEqualTo(first);
		assertThat(JSON
			.readTree(jdbc.queryForObject("select explanation_json from prediction where id = ?", String.class, id)))
			.as("both kept with the prediction")
			.hasSize(2);

		HttpResponse<byte[]> png = bytes(page + "/explanation.png", http());
		assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
		BufferedImage overlay = ImageIO.read(new ByteArrayInputStream(png.body()));
		JsonNode seen = first.get("seen");
		assertThat((double) overlay.getWidth() / overlay.getHeight()).isCloseTo(
				seen.get("width").asDouble() / seen.get("height").asDouble(),
				org.assertj.core.data.Offset.offset(0.02));

		HttpResponse<String> unknown = getJson(page + "/explanation?method=gradcam", "fr");
		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(JSON.readTree(unknown.body()).get("detail").asString())
			.isEqualTo("Il n’y a pas de méthode de carte « gradcam » : les méthodes sont class-activation, occlusion.");
	}

	/**
	 * The original Teachable Machine model ends in two Dense layers with a ReLU between
	 * them: no class activation map; its map is made by occlusion, and its page says so.
	 */
	@Test
	void aModelWithoutGlobalPoolingThenDenseIsMappedByOcclusion() throws Exception {
		HttpResponse<String> answer = upload("/image/" + TestModels.SHIPPED, "image", "nasser0111_dog.jpg",
				photo("nasser0111_dog.jpg"), "en");
		String page = answer.uri().getPath();

		HttpResponse<String> asked = getJson(page + "/explanation?method=class-activation", "en");
		assertThat(asked.statusCode()).isEqualTo(404);
		assertThat(JSON.readTree(asked.body()).get("detail").asString())
			.startsWith("This model has no class activation map");
		Document withMap = html(get(page + "?look=true", "en"));
		assertThat(withMap.selectFirst("#look-note").text()).startsWith("Occlusion map");
		assertThat(withMap.selectFirst("#other-map")).as("no other map to offer").isNull();
		assertThat(JSON.readTree(get(page + "/explanation", "en").body()).get("method").asString())
			.isEqualTo("occlusion");
	}

	/** A program has no session: its answer carries a signed link to the map. */
	@Test
	void anApiClientFollowsTheLinkGivenWithItsAnswer() throws Exception {
		HttpClient program = HttpClient.newHttpClient();
		HttpResponse<String> answer = send(Multipart.file("image", "cat.jpg", photo("nasser0111_cat.jpg"))
			.post(HttpRequest.newBuilder(uri("/api/v1/models/" + MODEL + "/predictions"))), program);
		String link = JSON.readTree(answer.body()).get("explanation").asString();
		long id = JSON.readTree(answer.body()).get("id").asLong();
		assertThat(link).startsWith("/api/v1/predictions/" + id + "/explanation?key=");

		HttpResponse<String> numbers = send(HttpRequest.newBuilder(uri(link)), program);
		HttpResponse<byte[]> png = bytes(HttpRequest.newBuilder(uri(link)).header("Accept", "image/png"), program);

		assertThat(numbers.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(numbers.body()).get("method").asString()).isEqualTo("class-activation");
		assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
		assertThat(
				send(HttpRequest.newBuilder(uri("/api/v1/predictions/" + id + "/explanation")), program).statusCode())
			.as("without the key")
			.isEqualTo(404);
		assertThat(send(HttpRequest.newBuilder(uri(
				"/api/v1/predictions/" + (id - 1) + "/explanation?key=" + link.substring(link.indexOf("key=") + 4))),
				program)
			.statusCode()).as("another prediction's id with this key").isEqualTo(404);
	}

	@Test
	void anotherBrowserGetsNoMapOfSomeoneElsesPhotoButTheAdminDoes() {
		String page = classify("nasser0111_dog.jpg", "en");
		long id = Long.parseLong(page.substring(page.lastIndexOf('/') + 1));
		HttpClient stranger = HttpClient.newHttpClient();

		assertThat(bytes("/api/v1/predictions/" + id + "/explanation", stranger).statusCode()).isEqualTo(404);
		assertThat(bytes(page + "/explanation.png", stranger).statusCode()).isEqualTo(404);
		assertThat(jdbc.queryForObject("select explanation_json from prediction where id = ?", String.class, id))
			.isNull();
		assertThat(get(page.replace(MODEL, TestModels.SHIPPED) + "/explanation", "en").statusCode())
			.as("under another model's page, even for the session that asked")
			.isEqualTo(404);

		ExplanationWebTests admin = new ExplanationWebTests();
		admin.port = port;
		admin.logInAsAdmin();
		assertThat(admin.get(page + "/explanation", "en").statusCode()).isEqualTo(200);
	}

	/**
	 * A credit decision has no photo: asking where its model looked is a 404 with a
	 * sentence, not a failure to read the decision's own explanation as a map.
	 */
	@Test
	void aDecisionWithoutAPhotoHasNoMap() throws Exception {
		Map<String, String> applicant = JSON.readValue(
				Files.readString(Path.of("src/test/resources/credit/applicant.json")),
				new TypeReference<LinkedHashMap<String, String>>() {
				});
		String form = applicant.entrySet()
			.stream()
			.map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		HttpResponse<String> decision = postForm("/credit", form, "en");
		String page = decision.uri().getPath();
		long id = Long.parseLong(page.substring(page.lastIndexOf('/') + 1));
		assertThat(jdbc.queryForObject("select explanation_json from prediction where id = ?", String.class, id))
			.as("the decision's own explanation")
			.isNotNull();

		HttpResponse<String> asked = send(HttpRequest.newBuilder(uri("/api/v1/predictions/" + id + "/explanation"))
			.header("Accept-Language", "fr"));

		assertThat(asked.statusCode()).isEqualTo(404);
		assertThat(JSON.readTree(asked.body()).get("detail").asString()).contains("pas de photo");
	}

	/** As a program asks: an error comes as a problem in JSON, not as a page. */
	private HttpResponse<String> getJson(String path, String language) {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Accept-Language", language)
			.header("Accept", "application/json"));
	}

	/** The photo sent from the model's page; the result page's path. */
	private String classify(String photo, String language) {
		HttpResponse<String> answer = upload("/image/" + MODEL, "image", photo, photo(photo), language);
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.uri().getPath()).matches("/image/" + MODEL + "/predictions/\\d+");
		return answer.uri().getPath();
	}

	private HttpResponse<byte[]> bytes(String path, HttpClient client) {
		return bytes(HttpRequest.newBuilder(uri(path)), client);
	}

	private static HttpResponse<byte[]> bytes(HttpRequest.Builder request, HttpClient client) {
		try {
			return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
