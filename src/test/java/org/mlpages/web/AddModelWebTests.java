package org.mlpages.web;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Add a model": an administrator uploads a Keras 3 file, reads what the importer found,
 * names the labels, tries a photo, publishes, replaces and retires the model, without a
 * restart; a file that is no model is refused with its reason.
 */
class AddModelWebTests extends TrainingTestSupport {

	private static final Path SIGMOID_CAT_DOG = Path
		.of("src/test/resources/keras/generated-keras3/cats_vs_dogs_sigmoid.keras");

	@Test
	void strangersAreSentToTheLoginPage() {
		assertThat(get("/admin/models/new", "en").uri().getPath()).isEqualTo("/login");
	}

	@Test
	void anAdministratorAddsTriesReplacesAndRetiresAKeras3Model() throws Exception {
		logInAsAdmin();
		HttpResponse<String> drafted = upload("/admin/models/new", "model", "pets.keras",
				Files.readAllBytes(SIGMOID_CAT_DOG), "fr");
		assertThat(drafted.statusCode()).as(drafted.body()).isEqualTo(200);
		String draft = drafted.uri().getPath();
		assertThat(draft).startsWith("/admin/models/drafts/");
		Document page = html(drafted);
		assertThat(page.selectFirst("#read-format").text()).isEqualTo("Keras 3 archive (.keras), Keras 3.8.0");
		assertThat(page.selectFirst("#read-input").text()).isEqualTo("[None, 224, 224, 3]");
		assertThat(page.selectFirst("#read-output").text()).isEqualTo("1 valeur(s), dernière activation sigmoid");
		assertThat(page.select("#labels tbody tr")).as("one sigmoid unit: two labels").hasSize(2);
		assertThat(page.selectFirst("input[name=name]").val()).isEqualTo("pets");

		Map<String, String> form = description("pets_sigmoid", "Cat or dog, sigmoid");
		HttpResponse<String> tried = send(
				Multipart.file("photo", "dog.jpg", photo("cdf_validation_dog.2000.jpg"), withCsrf(form))
					.post(HttpRequest.newBuilder(uri(draft + "/try")).header("Accept-Language", "en")));
		assertThat(tried.statusCode()).as(tried.body()).isEqualTo(200);
		assertThat(html(tried).select("#scores tr")).hasSize(2)
			.allSatisfy(row -> assertThat(row.text()).matches("(Cat|Dog) \\d+\\.\\d %"));

		// a number written the other language's way is refused on its field
		HttpResponse<String> comma = postForm(draft + "/publish", encode(form).replace("0.007843138", "0%2C0078"),
				"en");
		assertThat(comma.statusCode()).isEqualTo(400);
		assertThat(html(comma).selectFirst("#scale + .invalid-feedback").text())
			.isEqualTo("Write a number, such as 0.0078 or -1");

		HttpResponse<String> published = postForm(draft + "/publish", encode(form), "en");
		assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
		assertThat(published.uri().getPath()).isEqualTo("/image/pets_sigmoid");
		assertThat(html(published).select("#menu a").eachText()).contains("Cat or dog, sigmoid");
		assertThat(Path.of(MODELS, "pets_sigmoid.keras")).exists();
		assertThat(Files.readString(Path.of(MODELS, "pets_sigmoid.yml"))).contains("id: Dog").contains("fr: Chien");
		HttpResponse<String> answer = send(Multipart.file("image", "dog.jpg", photo("cdf_validation_dog.2000.jpg"))
			.post(HttpRequest.newBuilder(uri("/api/v1/models/pets_sigmoid/predictions"))));
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(answer.body()).contains("\"Cat\"").contains("\"Dog\"");

		// the same name again: refused unless the administrator says to replace
		String second = upload("/admin/models/new", "model", "pets.keras", Files.readAllBytes(SIGMOID_CAT_DOG), "en")
			.uri()
			.getPath();
		HttpResponse<String> taken = postForm(second + "/publish", encode(form), "en");
		assertThat(taken.statusCode()).isEqualTo(409);
		assertThat(html(taken).selectFirst("#error").text()).contains("A model named “pets_sigmoid” exists");
		form.put("replace", "true");
		HttpResponse<String> replaced = postForm(second + "/publish", encode(form), "en");
		assertThat(replaced.uri().getPath()).as(replaced.body()).isEqualTo("/image/pets_sigmoid");
		assertThat(retiredFiles("pets_sigmoid")).contains("pets_sigmoid.keras", "pets_sigmoid.yml");

		HttpResponse<String> retired = postForm("/admin/models/pets_sigmoid/retire", "", "fr");
		assertThat(html(retired).selectFirst("#retired").text()).contains("« pets_sigmoid » n’est plus servi");
		assertThat(get("/image/pets_sigmoid", "en").statusCode()).isEqualTo(404);
		assertThat(Path.of(MODELS, "pets_sigmoid.keras")).doesNotExist();
	}

	/**
	 * An ONNX model waiting for its descriptor (it failed to load) is another kind of
	 * model: an image model published under its name would have written its descriptor
	 * beside it, for the tabular registry to read.
	 */
	@Test
	void aNameThatAnotherKindOfModelsFilesBearIsRefusedAndTheirFilesStayAsTheyWere() throws Exception {
		logInAsAdmin();
		Path onnx = Path.of(MODELS, "iris_waiting.onnx");
		byte[] bytes = "exported, not described yet".getBytes(StandardCharsets.UTF_8);
		Files.write(onnx, bytes);
		try {
			String draft = upload("/admin/models/new", "model", "pets.keras", Files.readAllBytes(SIGMOID_CAT_DOG), "en")
				.uri()
				.getPath();
			Map<String, String> form = description("iris_waiting", "Irises");
			HttpResponse<String> taken = postForm(draft + "/publish", encode(form), "en");
			form.put("replace", "true");
			HttpResponse<String> replacing = postForm(draft + "/publish", encode(form), "en");

			assertThat(taken.statusCode()).isEqualTo(409);
			assertThat(html(taken).selectFirst("#error").text()).contains("A model named “iris_waiting” exists");
			assertThat(replacing.statusCode()).as("not an image model to replace").isEqualTo(409);
			assertThat(Files.readAllBytes(onnx)).isEqualTo(bytes);
			assertThat(Path.of(MODELS, "iris_waiting.yml")).doesNotExist();
			assertThat(Path.of(MODELS, "iris_waiting.keras")).doesNotExist();
		}
		finally {
			Files.deleteIfExists(onnx);
		}
	}

	@Test
	void aFileThatIsNoModelIsRefusedWithItsReasonAndLeavesNothingBehind() throws Exception {
		logInAsAdmin();
		Path drafts = Path.of("target/test-data/drafts");
		long before;
		try (var files = Files.list(drafts)) {
			before = files.count();
		}
		HttpResponse<String> pickle = upload("/admin/models/new", "model", "model.pkl",
				new byte[] { (byte) 0x80, 4, (byte) 0x95, 1, 2, 3 }, "en");
		assertThat(pickle.statusCode()).isEqualTo(422);
		assertThat(html(pickle).selectFirst("#error").text()).contains("model.pkl is a Python pickle")
			.contains("runs the code it contains");
		HttpResponse<String> photoInstead = upload("/admin/models/new", "model", "cat.keras",
				photo("cdf_validation_cat.2000.jpg"), "fr");
		assertThat(photoInstead.statusCode()).isEqualTo(422);
		assertThat(html(photoInstead).selectFirst("#error").text())
			.isEqualTo("Ce fichier ne peut pas être servi : cat.keras n’est pas un fichier de modèle Keras : ni HDF5"
					+ " (.h5), ni archive Keras 3 (.keras).");
		HttpResponse<String> frenchPickle = upload("/admin/models/new", "model", "modèle.pkl",
				new byte[] { (byte) 0x80, 4, (byte) 0x95, 1, 2, 3 }, "fr");
		assertThat(html(frenchPickle).selectFirst("#error").text())
			.isEqualTo("Ce fichier ne peut pas être servi : modèle.pkl est un pickle Python : charger un pickle exécute"
					+ " le code qu’il contient, il n’est donc jamais ouvert ici. Enregistrez un modèle Keras avec"
					+ " model.save(\"model.keras\") ; exportez un modèle scikit-learn en ONNX (skl2onnx.to_onnx).");
		HttpResponse<String> joblib = upload("/admin/models/new", "model", "pipeline.joblib",
				"x\u009c compressed".getBytes(StandardCharsets.UTF_8), "en");
		assertThat(html(joblib).selectFirst("#error").text()).contains("pipeline.joblib is a Python pickle");
		assertThat(get("/admin/models/drafts/nothing-here", "en").statusCode()).isEqualTo(404);
		HttpResponse<String> huge = upload("/admin/models/new", "model", "huge.keras", new byte[12 * 1024 * 1024],
				"en");
		assertThat(huge.statusCode()).isEqualTo(413);
		assertThat(html(huge).selectFirst("#error").text()).isEqualTo("The file is larger than 10 MB.");
		try (var files = Files.list(drafts)) {
			assertThat(files.count()).as("refused uploads leave no draft").isEqualTo(before);
		}
	}

	/**
	 * The page's script sends the file as the request body, past the 10 MB form limit;
	 * its refusals come back as JSON in the reader's language, for the script to show.
	 */
	@Test
	void aModelOverTheFormLimitIsSentAsTheBody() throws Exception {
		logInAsAdmin();
		Path large = PaddedKerasArchive.write(SIGMOID_CAT_DOG, 12 * 1024 * 1024,
				Path.of("target/test-data/uploads/large pets.keras"));
		assertThat(Files.size(large)).isGreaterThan(12L * 1024 * 1024);

		HttpResponse<String> staged = postBody("/admin/models/new?file=large%20pets.keras", Files.readAllBytes(large),
				"en");
		assertThat(staged.statusCode()).as(staged.body()).isEqualTo(201);
		String location = staged.headers().firstValue("Location").orElseThrow();
		assertThat(staged.body()).contains("\"location\":\"" + location + "\"");
		Document draft = html(get(location, "en"));
		assertThat(draft.selectFirst("#read-file").text()).isEqualTo("large pets.keras");
		assertThat(draft.selectFirst("#read-format").text()).isEqualTo("Keras 3 archive (.keras), Keras 3.8.0");
		assertThat(draft.selectFirst("input[name=name]").val()).isEqualTo("large_pets");

		HttpResponse<String> photo = postBody("/admin/models/new?file=cat.keras", photo("cdf_validation_cat.2000.jpg"),
				"fr");
		assertThat(photo.statusCode()).isEqualTo(422);
		assertThat(photo.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(photo.body()).contains("\"detail\":\"Ce fichier ne peut pas être servi");
		HttpResponse<String> empty = postBody("/admin/models/new?file=model.keras", new byte[0], "en");
		assertThat(empty.statusCode()).isEqualTo(400);
		assertThat(empty.body()).contains("Choose a file to upload.");
	}

	/**
	 * preprocess_input's "tf" mode is the scale and offset this model was trained with:
	 * the same photo gets the same probabilities either way.
	 */
	@Test
	void aPreprocessingModeGivesWhatItsScaleAndOffsetGive() throws Exception {
		logInAsAdmin();
		String draft = upload("/admin/models/new", "model", "pets.keras", Files.readAllBytes(SIGMOID_CAT_DOG), "en")
			.uri()
			.getPath();
		Map<String, String> byHand = description("pets_tf", "Cat or dog");
		Map<String, String> byMode = new LinkedHashMap<>(byHand);
		byMode.remove("scale");
		byMode.remove("offset");
		byMode.put("preprocessing", "tf");
		java.util.List<String> scores = new java.util.ArrayList<>();
		for (Map<String, String> form : java.util.List.of(byHand, byMode)) {
			HttpResponse<String> tried = send(
					Multipart.file("photo", "cat.jpg", photo("cdf_validation_cat.2000.jpg"), withCsrf(form))
						.post(HttpRequest.newBuilder(uri(draft + "/try")).header("Accept-Language", "en")));
			assertThat(tried.statusCode()).as(tried.body()).isEqualTo(200);
			scores.add(html(tried).select("#scores tr").text());
		}
		assertThat(scores.get(0)).matches("Cat \\d+\\.\\d % Dog \\d+\\.\\d %");
		assertThat(scores.get(1)).isEqualTo(scores.get(0));
		byMode.put("preprocessing", "caffe");
		HttpResponse<String> caffe = send(
				Multipart.file("photo", "cat.jpg", photo("cdf_validation_cat.2000.jpg"), withCsrf(byMode))
					.post(HttpRequest.newBuilder(uri(draft + "/try")).header("Accept-Language", "en")));
		assertThat(html(caffe).select("#scores tr").text()).as("another mode, other numbers")
			.isNotEqualTo(scores.get(0));
	}

	/**
	 * What the model contradicts is said in the reader's language, the colour as the form
	 * names it.
	 */
	@Test
	void aDescriptionTheModelContradictsIsRefusedInTheReadersLanguage() throws Exception {
		logInAsAdmin();
		String draft = upload("/admin/models/new", "model", "pets.keras", Files.readAllBytes(SIGMOID_CAT_DOG), "fr")
			.uri()
			.getPath();
		Map<String, String> form = description("pets_grey", "Cat or dog");
		form.put("color", "grey");
		HttpResponse<String> grey = send(
				Multipart.file("photo", "dog.jpg", photo("cdf_validation_dog.2000.jpg"), withCsrf(form))
					.post(HttpRequest.newBuilder(uri(draft + "/try")).header("Accept-Language", "fr")));
		assertThat(grey.statusCode()).isEqualTo(422);
		assertThat(html(grey).selectFirst("#error").text())
			.isEqualTo("Le modèle ne peut pas être servi avec cette description : le modèle prend trois valeurs de"
					+ " couleur par pixel, mais la description dit couleurs : gris");

		form.put("color", "");
		form.put("output", "softmax");
		HttpResponse<String> softmax = postForm(draft + "/publish", encode(form), "en");
		assertThat(softmax.statusCode()).isEqualTo(422);
		assertThat(html(softmax).selectFirst("#error").text())
			.isEqualTo("The model cannot be served with this description: the description says the outputs are"
					+ " softmax, but the model’s last activation is sigmoid");
		assertThat(Path.of(MODELS, "pets_grey.yml")).doesNotExist();
	}

	/**
	 * A draft tried and discarded leaves nothing behind: not its files, not the
	 * importer's conversion, not the meter its trial made.
	 */
	@Test
	void aDiscardedDraftLeavesNoConversionAndNoMeter() throws Exception {
		logInAsAdmin();
		// a file of its own (the padding changes its hash), converted for this test only
		Path file = PaddedKerasArchive.write(SIGMOID_CAT_DOG, 1024,
				Path.of("target/test-data/uploads/discarded.keras"));
		String sha = java.util.HexFormat.of()
			.formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
		Path conversion = Path.of("target/test-cache/savedmodels", sha);
		String draft = upload("/admin/models/new", "model", "discarded.keras", Files.readAllBytes(file), "en").uri()
			.getPath();
		assertThat(conversion).isDirectory();
		HttpResponse<String> tried = send(Multipart
			.file("photo", "dog.jpg", photo("cdf_validation_dog.2000.jpg"),
					withCsrf(description("discarded", "Discarded")))
			.post(HttpRequest.newBuilder(uri(draft + "/try")).header("Accept-Language", "en")));
		assertThat(tried.statusCode()).as(tried.body()).isEqualTo(200);
		String trialName = "draft-" + draft.substring(draft.lastIndexOf('/') + 1, draft.lastIndexOf('/') + 9);
		assertThat(prometheus()).contains("mlpages_inference_batch_size_count{model=\"" + trialName + "\"}");

		HttpResponse<String> discarded = postForm(draft + "/discard", "", "en");
		assertThat(discarded.uri().getPath()).isEqualTo("/admin/models/new");
		assertThat(conversion).doesNotExist();
		assertThat(Path.of("target/test-data/drafts", draft.substring(draft.lastIndexOf('/') + 1))).doesNotExist();
		assertThat(prometheus()).doesNotContain(trialName);
	}

	private String prometheus() {
		return send(HttpRequest.newBuilder(uri("/actuator/prometheus")), java.net.http.HttpClient.newHttpClient())
			.body();
	}

	@Test
	void aModelWithManyClassesIsDescribedOnOneForm() throws Exception {
		logInAsAdmin();
		// ten digits, described with twenty rows: over Tomcat's default 50 parts, and
		// answered by the description's own check, not refused as a stale form
		String draft = upload("/admin/models/new", "model", "digits.keras",
				Files.readAllBytes(Path.of("src/test/resources/keras/keras3/nhanphamthanh_mnist_model.keras")), "en")
			.uri()
			.getPath();
		Map<String, String> form = description("digits", "Digits");
		for (int i = 0; i < 20; i++) {
			form.put("labelIds[" + i + "]", "d" + i);
			form.put("labelsEn[" + i + "]", "digit " + i);
			form.put("labelsFr[" + i + "]", "chiffre " + i);
		}
		form.remove("scale");
		form.remove("offset");
		HttpResponse<String> tried = send(
				Multipart.file("photo", "cat.jpg", photo("cdf_validation_cat.2000.jpg"), withCsrf(form))
					.post(HttpRequest.newBuilder(uri(draft + "/try")).header("Accept-Language", "en")));
		assertThat(tried.statusCode()).isEqualTo(422);
		assertThat(html(tried).selectFirst("#error").text())
			.isEqualTo("The model cannot be served with this description: the model has 10 outputs but the"
					+ " description lists 20 labels");
	}

	@Test
	void onlyImageModelsAreRetiredHere() throws Exception {
		logInAsAdmin();
		Files.copy(Path.of("models/credit.yml"), Path.of(MODELS, "credit.yml"),
				java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		HttpResponse<String> credit = postForm("/admin/models/credit/retire", "", "en");
		assertThat(credit.statusCode()).isEqualTo(404);
		assertThat(Path.of(MODELS, "credit.yml")).as("another kind of model's file stays").exists();
		assertThat(postForm("/admin/models/..%2Fetc/retire", "", "en").statusCode()).isIn(400, 404);
	}

	private HttpResponse<String> postBody(String path, byte[] body, String language) {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/octet-stream")
			.header("Accept", "application/json")
			.header("Accept-Language", language)
			.header("X-CSRF-TOKEN", csrfToken())
			.POST(HttpRequest.BodyPublishers.ofByteArray(body)));
	}

	private static Map<String, String> description(String name, String title) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("name", name);
		form.put("titleEn", title);
		form.put("titleFr", "Chat ou chien, sigmoïde");
		form.put("labelIds[0]", "Cat");
		form.put("labelsEn[0]", "Cat");
		form.put("labelsFr[0]", "Chat");
		form.put("labelIds[1]", "Dog");
		form.put("labelsEn[1]", "Dog");
		form.put("labelsFr[1]", "Chien");
		form.put("resize", "center-crop");
		form.put("scale", "0.007843138");
		form.put("offset", "-1");
		return form;
	}

	private Map<String, String> withCsrf(Map<String, String> form) {
		Map<String, String> all = new LinkedHashMap<>(form);
		all.put("_csrf", csrfToken());
		return all;
	}

	private static String encode(Map<String, String> form) {
		return form.entrySet()
			.stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	private static java.util.List<String> retiredFiles(String name) throws Exception {
		Path retired = Path.of(MODELS, "retired");
		try (var dirs = Files.list(retired)) {
			Path dir = dirs.filter(d -> d.getFileName().toString().startsWith(name + "-")).findFirst().orElseThrow();
			try (var files = Files.list(dir)) {
				return files.map(f -> f.getFileName().toString()).toList();
			}
		}
	}

}
