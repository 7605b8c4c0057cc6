package org.mlpages.web;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.mlpages.catalog.ModelFiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Add a model" with an ONNX file: an administrator uploads a scikit-learn-like pipeline,
 * reads the inputs and classes it declares, describes its fields, tries a row (a wrong
 * answer first), publishes it without a restart, and retires it.
 */
class AddTabularModelWebTests extends TrainingTestSupport {

	private static final Path ONNX = Path.of("src/test/resources/tabular/onnx/pipeline_strings.onnx");

	@Test
	void anAdministratorAddsTriesPublishesAndRetiresATabularModel() throws Exception {
		logInAsAdmin();
		HttpResponse<String> drafted = upload("/admin/models/new", "model", "loans v2.onnx", Files.readAllBytes(ONNX),
				"en");
		assertThat(drafted.statusCode()).as(drafted.body()).isEqualTo(200);
		String draft = drafted.uri().getPath();
		assertThat(draft).startsWith("/admin/models/tabular/tabular-");
		Document page = html(drafted);
		assertThat(page.selectFirst("#read-inputs").text()).isEqualTo("sex string, smoker string, age float");
		assertThat(page.selectFirst("#read-classes").text()).isEqualTo("bad, good");
		assertThat(page.selectFirst("input[name=name]").val()).isEqualTo("loans_v2");
		assertThat(page.select("#fields tbody tr")).hasSize(3);
		assertThat(page.select("#fields select option[selected]").eachText()).containsExactly("choice", "choice",
				"number");

		// a choice without its options: the description does not fit the model yet
		Map<String, String> form = description();
		form.put("fieldOptions[0]", "");
		HttpResponse<String> incomplete = postForm(draft + "/try", encode(form), "fr");
		assertThat(incomplete.statusCode()).isEqualTo(422);
		assertThat(html(incomplete).selectFirst("#error").text())
			.isEqualTo("Le modèle ne peut pas être servi avec cette description : (en anglais) in the description,"
					+ " field sex: a choice lists its options");

		// a threshold that is no percentage, and a column number that is no number (a
		// hidden field changed in the request): each said, nothing tried
		form = description();
		form.put("threshold", "150");
		HttpResponse<String> threshold = postForm(draft + "/try", encode(form), "en");
		assertThat(threshold.statusCode()).isEqualTo(400);
		assertThat(html(threshold).selectFirst(".invalid-feedback[data-field=threshold]").text())
			.isEqualTo("A percentage above 0 and below 100, such as 50 or 82.5.");
		form = description();
		form.put("fieldColumns[0]", "first");
		HttpResponse<String> column = postForm(draft + "/try", encode(form), "fr");
		assertThat(column.statusCode()).isEqualTo(400);
		assertThat(html(column).selectFirst("#error").text())
			.isEqualTo("Une partie de la description n’a pas pu être lue. Rechargez la page et recommencez.");

		// the row tried as the page will ask it: a wrong age first
		form = description();
		form.put("row[sex]", "M");
		form.put("row[smoker]", "yes");
		form.put("row[age]", "12");
		HttpResponse<String> wrong = postForm(draft + "/try", encode(form), "fr");
		assertThat(wrong.statusCode()).isEqualTo(400);
		assertThat(html(wrong).selectFirst("#try .invalid-feedback[data-field=age]").text())
			.isEqualTo("Entre 18 et 100.");
		form.put("row[age]", "61");
		HttpResponse<String> tried = postForm(draft + "/try", encode(form), "fr");
		assertThat(tried.statusCode()).as(tried.body()).isEqualTo(200);
		assertThat(html(tried).selectFirst("#tried-decision").text()).isIn("Remboursé", "Non remboursé");
		assertThat(html(tried).select("#scores tr").eachText()).hasSize(2)
			.allSatisfy(row -> assertThat(row).matches("(Non remboursé|Remboursé) \\d+,\\d %"));

		HttpResponse<String> published = postForm(draft + "/publish", encode(form), "en");
		assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
		assertThat(published.uri().getPath()).isEqualTo("/tabular/loans_v2");
		assertThat(postForm(draft + "/publish", encode(form), "en").statusCode()).as("a second click").isEqualTo(404);
		assertThat(html(published).select("#menu a").eachText()).contains("Loan repaid?");
		assertThat(Files.readString(Path.of(MODELS, "loans_v2.yml"))).contains("value: 'no'").contains("fr: Fumeur");
		HttpResponse<String> answer = send(java.net.http.HttpRequest
			.newBuilder(uri("/api/v1/models/loans_v2/predictions"))
			.header("Content-Type", "application/json")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"sex\":\"F\",\"smoker\":\"no\",\"age\":30}")));
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

		// the same name again is refused
		String again = upload("/admin/models/new", "model", "loans v2.onnx", Files.readAllBytes(ONNX), "en").uri()
			.getPath();
		HttpResponse<String> taken = postForm(again + "/publish", encode(form), "en");
		assertThat(taken.statusCode()).isEqualTo(409);
		assertThat(html(taken).selectFirst("#error").text())
			.isEqualTo("A model named “loans_v2” exists: choose another name.");

		assertThat(html(taken).selectFirst("input[type=checkbox][name=replace]")).as("offered to replace it")
			.isNotNull();

		// replaced: the new description serves, the files it replaced are set aside
		form.put("titleEn", "Loan repaid, second model?");
		form.put("replace", "true");
		HttpResponse<String> replacing = postForm(again + "/publish", encode(form), "en");
		assertThat(replacing.statusCode()).as(replacing.body()).isEqualTo(200);
		assertThat(replacing.uri().getPath()).isEqualTo("/tabular/loans_v2");
		assertThat(html(replacing).selectFirst("h1").text()).isEqualTo("Loan repaid, second model?");
		try (var retiredFolders = Files.list(Path.of(MODELS, "retired"))) {
			assertThat(retiredFolders.filter(folder -> folder.getFileName().toString().startsWith("loans_v2-")))
				.singleElement()
				.satisfies(folder -> assertThat(Files.readString(folder.resolve("loans_v2.yml")))
					.contains("Loan repaid?"));
		}

		HttpResponse<String> retired = postForm("/admin/models/loans_v2/retire", "", "en");
		assertThat(retired.uri().getPath()).isEqualTo("/admin/models/new");
		assertThat(get("/tabular/loans_v2", "en").statusCode()).isEqualTo(404);
		assertThat(Path.of(MODELS, "loans_v2.onnx")).doesNotExist();
	}

	@Test
	void theNameAndTitlesAreAskedAndCheckedAsOnTheOtherModelForms() throws Exception {
		logInAsAdmin();
		String draft = upload("/admin/models/new", "model", "loans.onnx", Files.readAllBytes(ONNX), "fr").uri()
			.getPath();
		for (Document page : List.of(html(get(draft, "fr")), html(get("/training", "fr")))) {
			Element name = page.selectFirst("input#name");
			assertThat(name.attr("pattern")).isEqualTo(ModelFiles.NAME_PATTERN);
			assertThat(name.attr("maxlength")).isEqualTo("64");
			assertThat(name.hasAttr("required")).isTrue();
			assertThat(page.selectFirst("label[for=name]").text()).isEqualTo("Nom du modèle");
			assertThat(page.selectFirst("#name ~ .form-text").text()).startsWith("Lettres, chiffres");
			Element titleEn = page.selectFirst("input#titleEn");
			assertThat(titleEn.attr("lang")).isEqualTo("en");
			assertThat(titleEn.attr("maxlength")).isEqualTo("120");
			assertThat(titleEn.hasAttr("required")).isTrue();
			Element titleFr = page.selectFirst("input#titleFr");
			assertThat(titleFr.attr("lang")).isEqualTo("fr");
			assertThat(titleFr.attr("maxlength")).isEqualTo("120");
			assertThat(titleFr.hasAttr("required")).as("the French title may wait").isFalse();
			assertThat(page.selectFirst("label[for=titleFr]").text()).isEqualTo("Titre en français");
		}

		// what the browser would have stopped, sent anyway: each field says what is wrong
		Map<String, String> form = description();
		form.put("name", "with space");
		form.put("titleEn", " ");
		form.put("titleFr", "x".repeat(121));
		HttpResponse<String> refused = postForm(draft + "/publish", encode(form), "fr");
		assertThat(refused.statusCode()).isEqualTo(400);
		Document page = html(refused);
		assertThat(page.selectFirst("#name + .invalid-feedback").text()).startsWith("lettres, chiffres");
		assertThat(page.selectFirst("#titleEn + .invalid-feedback")).isNotNull();
		assertThat(page.selectFirst("#titleFr + .invalid-feedback")).isNotNull();
		assertThat(page.selectFirst("input#name").val()).as("what was typed is kept").isEqualTo("with space");
		assertThat(Path.of(MODELS, "with space.onnx")).doesNotExist();
	}

	@Test
	void aFileThatIsNoOnnxModelIsRefusedWithItsReason() throws Exception {
		logInAsAdmin();
		HttpResponse<String> photo = upload("/admin/models/new", "model", "cat.onnx",
				photo("cdf_validation_cat.2000.jpg"), "en");
		assertThat(photo.statusCode()).isEqualTo(422);
		assertThat(html(photo).selectFirst("#error").text())
			.startsWith("This file cannot be served: cat.onnx is not an" + " ONNX model");
	}

	private static Map<String, String> description() {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("name", "loans_v2");
		form.put("titleEn", "Loan repaid?");
		form.put("titleFr", "Prêt remboursé ?");
		form.put("classIds[0]", "bad");
		form.put("classesEn[0]", "Not repaid");
		form.put("classesFr[0]", "Non remboursé");
		form.put("classIds[1]", "good");
		form.put("classesEn[1]", "Repaid");
		form.put("classesFr[1]", "Remboursé");
		form.put("positive", "good");
		form.put("threshold", "50");
		String[][] fields = {
				{ "sex", "sex", "choice", "Sex", "Sexe", "", "", "F | Woman | Femme\nM | Man | Homme", "F" },
				{ "smoker", "smoker", "choice", "Smoker", "Fumeur", "", "", "no | No | Non\nyes | Yes | Oui", "no" },
				{ "age", "age", "integer", "Age", "Âge", "18", "100", "", "40" } };
		for (int i = 0; i < fields.length; i++) {
			form.put("fieldNames[" + i + "]", fields[i][0]);
			form.put("fieldInputs[" + i + "]", fields[i][1]);
			form.put("fieldKinds[" + i + "]", fields[i][2]);
			form.put("fieldLabelsEn[" + i + "]", fields[i][3]);
			form.put("fieldLabelsFr[" + i + "]", fields[i][4]);
			form.put("fieldMins[" + i + "]", fields[i][5]);
			form.put("fieldMaxs[" + i + "]", fields[i][6]);
			form.put("fieldOptions[" + i + "]", fields[i][7]);
			form.put("fieldBaselines[" + i + "]", fields[i][8]);
		}
		return form;
	}

	private static String encode(Map<String, String> form) {
		return form.entrySet()
			.stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

}
