package org.mlpages.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVRecord;
import org.assertj.core.data.Offset;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Photos classified many at once by an image model, from the model's second tab and from
 * the API: a zip of 200 (folders and all) or several photos of a form; every photo gets
 * the answer it gets alone, or its own refusal while the others go on; each is logged
 * once with its batch; what cannot be a batch is refused before any work.
 */
class PhotoBatchWebTests extends WebTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String MODEL = TestModels.SHIPPED;

	private static final String API = "/api/v1/models/" + MODEL + "/batches";

	private static final Path WORK = Path.of("target/test-data/batches");

	@Test
	void aZipOfTwoHundredFilesIsClassifiedPhotoByPhotoAsEachAloneWouldBe() throws Exception {
		List<String> names = photoNames();
		Map<String, byte[]> entries = new LinkedHashMap<>();
		for (int i = 0; entries.size() < 198; i++) {
			String name = names.get(i % names.size());
			entries.put((name.contains("cat") ? "cats/" : "dogs/") + i + "-" + name, photo(name));
		}
		entries.put("notes.txt", "not a photo".getBytes(StandardCharsets.UTF_8));
		entries.put("dogs/half.jpg", Files.readAllBytes(Path.of("src/test/resources/photo/truncated.jpg")));
		// what a Mac or a file manager adds: not rows
		entries.put("__MACOSX/cats/._0-cat.jpg", new byte[] { 1, 2, 3 });
		entries.put("cats/.DS_Store", new byte[] { 4, 5, 6 });
		long uploadsBefore = storedUploads();

		HttpResponse<String> accepted = postZip(API, entries);

		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		assertThat(JSON.readTree(accepted.body()).get("kind").asString()).isEqualTo("photos");
		JsonNode done = finishedBatch(accepted.headers().firstValue("Location").orElseThrow());
		assertThat(done.get("state").asString()).isEqualTo("done");
		assertThat(done.get("total").asInt()).isEqualTo(200);
		assertThat(done.get("scored").asInt()).isEqualTo(198);
		assertThat(done.get("refused").asInt()).isEqualTo(2);

		List<CSVRecord> results = batchResults(get(done.get("results").asString(), "en").body());
		assertThat(results).hasSize(201);
		assertThat(results.get(0).toList()).containsExactly("row", "file", "status", "answer", "probability_Cat",
				"probability_Dog", "message", "prediction_id");
		assertThat(resultRow(results, 199)).containsEntry("file", "notes.txt")
			.containsEntry("status", "refused")
			.satisfies(row -> assertThat(row.get("message")).contains("not an image"));
		assertThat(resultRow(results, 200)).containsEntry("file", "half.jpg")
			.satisfies(row -> assertThat(row.get("message")).contains("damaged or incomplete"));
		// the batch's answers are the single predictions' answers, photo by photo
		Map<String, JsonNode> alone = new LinkedHashMap<>();
		for (int position = 1; position <= 198; position++) {
			Map<String, String> result = resultRow(results, position);
			String name = result.get("file").substring(result.get("file").indexOf('-') + 1);
			JsonNode single = alone.computeIfAbsent(name, this::classifyAlone);
			assertThat(result).as(result.get("file")).containsEntry("status", "scored");
			assertThat(result.get("answer")).as(name).isEqualTo(single.get("label").asString());
			assertThat(Double.parseDouble(result.get("probability_Cat"))).as(name)
				.isCloseTo(single.get("probabilities").get("Cat").asDouble(), Offset.offset(1e-4));
		}

		String id = done.get("id").asString();
		List<Map<String, Object>> logged = jdbc.queryForList(
				"select batch_row, channel, stored_file, original_name from prediction where batch_id = ? order by batch_row",
				id);
		assertThat(logged).hasSize(198);
		assertThat(logged).extracting(row -> ((Number) row.get("batch_row")).intValue())
			.doesNotHaveDuplicates()
			.allMatch(row -> row >= 1 && row <= 198);
		assertThat(logged).extracting(row -> row.get("channel")).containsOnly("api");
		assertThat(logged)
			.allSatisfy(row -> assertThat(UPLOADS.resolve(row.get("stored_file").toString())).isRegularFile());
		// the photos moved to the uploads with their predictions (and the lone ones'
		// photos); nothing is left waiting
		assertThat(storedUploads()).isEqualTo(uploadsBefore + 198 + alone.size());
		assertThat(WORK.resolve(id)).doesNotExist();
	}

	@ParameterizedTest
	@CsvSource({ "en, Many photos, Classify the photos, Photos refused, not an image",
			"fr, Plusieurs photos, Classer les photos, Photos refusées, pas une image" })
	void aPersonSendsSeveralPhotosFromTheSecondTab(String language, String tab, String submit, String refusedTitle,
			String says) throws Exception {
		Document page = html(get("/image/" + MODEL, language));
		assertThat(page.select("#model-tabs a").eachText()).hasSize(2).contains(tab);
		Document batchTab = html(get(page.selectFirst("#batch-tab").attr("href"), language));
		assertThat(batchTab.selectFirst("#batch-tab").hasClass("active")).isTrue();
		assertThat(batchTab.selectFirst("#batch-form button").text()).isEqualTo(submit);
		assertThat(batchTab.selectFirst("#files").hasAttr("multiple")).isTrue();

		Map<String, byte[]> photos = new LinkedHashMap<>();
		photos.put("cat.jpg", photo("nasser0111_cat.jpg"));
		photos.put("résumé.txt", "hello".getBytes(StandardCharsets.UTF_8));
		photos.put("dog.jpg", photo("nasser0111_dog.jpg"));
		HttpResponse<String> sent = send(multipart("files", photos)
			.post(HttpRequest.newBuilder(uri("/image/" + MODEL + "/batches?_csrf=" + csrfToken())))
			.header("Accept-Language", language));

		assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
		String path = sent.uri().getPath();
		assertThat(path).matches("/image/" + MODEL + "/batches/[0-9a-f-]{36}");
		finishedBatch("/api/v1/batches/" + path.substring(path.lastIndexOf('/') + 1));
		Document finished = html(get(path, language));
		assertThat(finished.selectFirst("#progress-bar").attr("style")).isEqualTo("width: 100.00%");
		assertThat(finished.selectFirst("#refusals h2").text()).isEqualTo(refusedTitle);
		assertThat(finished.select("#refusals tbody tr")).hasSize(1);
		assertThat(finished.select("#refusals tbody td").get(1).text()).startsWith("résumé.txt").contains(says);
		List<CSVRecord> results = batchResults(get(finished.selectFirst("#download").attr("href"), language).body());
		assertThat(resultRow(results, 1)).containsEntry("file", "cat.jpg").containsEntry("answer", "Cat");
		assertThat(resultRow(results, 3)).containsEntry("file", "dog.jpg").containsEntry("answer", "Dog");
		assertThat(resultRow(results, 2).get("message")).contains(says);
		Document back = html(get("/image/" + MODEL + "/batches", language));
		assertThat(back.select("#recent a").eachAttr("href")).contains(path);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			a file that is no zip     | NOT_ZIP   | 422 | cannot be read as a zip
			a zip with only folders   | EMPTY_ZIP | 422 | Choose photos
			more photos than allowed  | TOO_MANY  | 422 | More than 1,000 photos
			a zip bomb                | BOMB      | 413 | more than 200 MB
			a file of cases           | CSV       | 422 | reads photos
			""")
	void whatCannotBeABatchOfPhotosIsRefusedBeforeAnyWork(String what, String kind, int status, String says)
			throws Exception {
		long batches = jdbc.queryForObject("select count(*) from batch", Long.class);
		long rows = predictionRows();
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(API)).header("Accept-Language", "en");
		switch (kind) {
			case "NOT_ZIP" -> request.header("Content-Type", "application/zip")
				.POST(HttpRequest.BodyPublishers.ofString("PK but not really a zip"));
			case "CSV" ->
				request.header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString("a\n1\n"));
			default -> request.header("Content-Type", "application/zip")
				.POST(HttpRequest.BodyPublishers.ofByteArray(switch (kind) {
					case "EMPTY_ZIP" -> zipOf(Map.of("cats/", new byte[0], "__MACOSX/x.jpg", new byte[] { 1 }));
					case "TOO_MANY" -> {
						Map<String, byte[]> many = new LinkedHashMap<>();
						for (int i = 0; i <= 1000; i++) {
							many.put(i + ".jpg", new byte[] { 1 });
						}
						yield zipOf(many);
					}
					default -> {
						// 21 files of 10 million zeros: 210 MB unpacked from a zip of a
						// few hundred KB
						Map<String, byte[]> bomb = new LinkedHashMap<>();
						for (int i = 0; i < 21; i++) {
							bomb.put(i + ".jpg", new byte[10_000_000]);
						}
						yield zipOf(bomb);
					}
				}));
		}

		HttpResponse<String> refused = send(request);

		assertThat(refused.statusCode()).as(what).isEqualTo(status);
		assertThat(JSON.readTree(refused.body()).get("detail").asString()).as(what).contains(says);
		assertThat(jdbc.queryForObject("select count(*) from batch", Long.class)).isEqualTo(batches);
		assertThat(predictionRows()).isEqualTo(rows);
		try (Stream<Path> left = Files.list(WORK)) {
			assertThat(left.map(file -> file.getFileName().toString()))
				.as("nothing kept in the batches' folder after " + what)
				.allMatch(
						name -> jdbc.queryForObject("select count(*) from batch where id = ?", Long.class, name) == 1);
		}
	}

	@Test
	void aPhotoOverTheLimitInAZipIsRefusedInItsRowAndTheOthersGoOn() throws Exception {
		Map<String, byte[]> entries = new LinkedHashMap<>();
		entries.put("cat.jpg", photo("cdf_validation_cat.2000.jpg"));
		entries.put("huge.jpg", new byte[11 * 1024 * 1024]);

		HttpResponse<String> accepted = upload(API, "file", "pets.zip", zipOf(entries), "fr");

		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		JsonNode done = finishedBatch(accepted.headers().firstValue("Location").orElseThrow());
		assertThat(done.get("scored").asInt()).isEqualTo(1);
		assertThat(done.get("refused").asInt()).isEqualTo(1);
		Map<String, String> huge = resultRow(batchResults(get(done.get("results").asString(), "fr").body()), 2);
		assertThat(huge).containsEntry("file", "huge.jpg").containsEntry("status", "refused");
		assertThat(huge.get("message")).contains("10 Mo");
	}

	/**
	 * Names a zip may carry: a path climbing out of its folder is only a name here (the
	 * photo is kept under a name the app makes up); a name that would mislead a reader of
	 * the history is refused in its row.
	 */
	@Test
	void namesInAZipNeverChooseWhereAFileGoes() throws Exception {
		Map<String, byte[]> entries = new LinkedHashMap<>();
		entries.put("../../../../tmp/evil.jpg", photo("nasser0111_cat.jpg"));
		entries.put("cat\u202Egpj.exe", photo("nasser0111_cat.jpg"));
		long uploadsBefore = storedUploads();

		HttpResponse<String> accepted = postZip(API, entries);

		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		JsonNode done = finishedBatch(accepted.headers().firstValue("Location").orElseThrow());
		List<CSVRecord> results = batchResults(get(done.get("results").asString(), "en").body());
		assertThat(resultRow(results, 1)).containsEntry("file", "evil.jpg").containsEntry("status", "scored");
		assertThat(resultRow(results, 2)).containsEntry("status", "refused")
			.satisfies(row -> assertThat(row.get("message")).contains("file name is not accepted"));
		assertThat(Path.of("/tmp/evil.jpg")).doesNotExist();
		assertThat(storedUploads()).isEqualTo(uploadsBefore + 1);
	}

	@Test
	void theAdminFindsABatchsPhotosInTheHistory() throws Exception {
		Map<String, byte[]> entries = new LinkedHashMap<>();
		entries.put("first-cat.jpg", photo("nasser0111_cat.jpg"));
		entries.put("then-a-dog.jpg", photo("nasser0111_dog.jpg"));
		entries.put("notes.txt", new byte[] { 1, 2 });
		JsonNode done = finishedBatch(postZip(API, entries).headers().firstValue("Location").orElseThrow());
		logInAsAdmin();

		Document history = html(get(done.get("history").asString(), "en"));

		assertThat(history.selectFirst("#batch").attr("value")).isEqualTo(done.get("id").asString());
		assertThat(history.select("#history tbody tr")).hasSize(2);
		assertThat(history.select("#history tbody tr td:nth-child(4)").eachText())
			.containsExactlyInAnyOrder("first-cat.jpg (1200x1800)", "then-a-dog.jpg (390x550)");
		Document result = html(get(history.selectFirst("#history tbody tr a").attr("href"), "en"));
		assertThat(get(result.selectFirst(".result-photo").attr("src"), "en").statusCode()).isEqualTo(200);
	}

	/**
	 * A zip's own name is only shown: cut to what the column keeps, without direction
	 * marks.
	 */
	@Test
	void aZipsOwnNameIsKeptShortAndPlain() throws Exception {
		String name = "pets\u202E" + "x".repeat(300) + ".zip";

		HttpResponse<String> accepted = upload(API, "file", name, zipOf(Map.of("cat.jpg", photo("nasser0111_cat.jpg"))),
				"en");

		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		String id = finishedBatch(accepted.headers().firstValue("Location").orElseThrow()).get("id").asString();
		String kept = jdbc.queryForObject("select original_name from batch where id = ?", String.class, id);
		assertThat(kept).hasSize(255).startsWith("petsxxx").doesNotContain("\u202E");
	}

	@Test
	void aZipIsNoFileOfCasesForATabularModel() {
		HttpResponse<String> refused = postZip("/api/v1/models/credit/batches",
				Map.of("cat.jpg", photo("cdf_validation_cat.2000.jpg")));

		assertThat(refused.statusCode()).isEqualTo(415);
		assertThat(JSON.readTree(refused.body()).get("detail").asString()).contains("CSV file of cases");
	}

	/** A zip of these files as the request's body, as a program sends it. */
	private HttpResponse<String> postZip(String path, Map<String, byte[]> entries) {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/zip")
			.header("Accept-Language", "en")
			.POST(HttpRequest.BodyPublishers.ofByteArray(zipOf(entries))));
	}

	private JsonNode classifyAlone(String name) {
		HttpResponse<String> answer = upload("/api/v1/models/" + MODEL + "/predictions", "image", name, photo(name),
				"en");
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return JSON.readTree(answer.body());
	}

	private static List<String> photoNames() throws IOException {
		try (Stream<Path> files = Files.list(PHOTOS)) {
			return files.map(file -> file.getFileName().toString())
				.filter(name -> name.endsWith(".jpg"))
				.sorted()
				.toList();
		}
	}

	/**
	 * A form with several files under one name, as a browser sends a multiple file input.
	 */
	static Multipart multipart(String field, Map<String, byte[]> files) {
		String boundary = "----mlpages" + UUID.randomUUID();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		files.forEach((name, content) -> {
			out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
					+ name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
				.getBytes(StandardCharsets.UTF_8));
			out.writeBytes(content);
			out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
		});
		out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return new Multipart(boundary, out.toByteArray());
	}

}
