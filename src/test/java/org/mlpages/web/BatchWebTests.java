package org.mlpages.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CSV file of credit applications scored at once, from the model's second tab and from
 * the API: every row gets its answer or its reason, each scored row is logged once with
 * its batch, the results download as CSV, and a file that cannot be a batch is refused
 * before any row is scored.
 */
class BatchWebTests extends WebTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String API = "/api/v1/models/credit/batches";

	@Test
	void theApiScoresEachRowAndExplainsTheOnesItRefuses() throws Exception {
		Map<String, String> applicant = applicant();
		String csv = csv(',', applicant.keySet(), List.of(applicant.values(), withAnswer(applicant, "age", "12"),
				withAnswer(applicant, "duration", "24")));

		HttpResponse<String> accepted = postCsv(csv);

		assertThat(accepted.statusCode()).isEqualTo(202);
		String location = accepted.headers().firstValue("Location").orElseThrow();
		assertThat(location).matches("/api/v1/batches/[0-9a-f-]{36}");
		JsonNode done = finishedBatch(location);
		assertThat(done.get("state").asString()).isEqualTo("done");
		assertThat(done.get("total").asInt()).isEqualTo(3);
		assertThat(done.get("scored").asInt()).isEqualTo(2);
		assertThat(done.get("refused").asInt()).isEqualTo(1);
		assertThat(done.get("percent").asDouble()).isEqualTo(100.0);

		List<CSVRecord> results = batchResults(get(done.get("results").asString(), "en").body());
		assertThat(results.get(0).toList()).startsWith("row")
			.contains("status", "answer", "probability_granted", "probability_refused", "message", "prediction_id");
		Map<String, String> first = resultRow(results, 1);
		assertThat(first).containsEntry("status", "scored").containsEntry("age", "67");
		assertThat(first.get("answer")).isIn("granted", "refused");
		double good = Double.parseDouble(first.get("probability_granted"));
		double bad = Double.parseDouble(first.get("probability_refused"));
		assertThat(good + bad).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
		Map<String, String> refused = resultRow(results, 2);
		assertThat(refused).containsEntry("status", "refused").containsEntry("answer", "").containsEntry("age", "12");
		assertThat(refused.get("message")).startsWith("Age:").contains("15");
		assertThat(resultRow(results, 3)).containsEntry("status", "scored").containsEntry("duration", "24");

		String id = location.substring(location.lastIndexOf('/') + 1);
		List<Map<String, Object>> logged = jdbc
			.queryForList("select id, batch_row, channel from prediction where batch_id = ? order by batch_row", id);
		assertThat(logged).extracting(row -> ((Number) row.get("batch_row")).intValue()).containsExactly(1, 3);
		assertThat(logged).extracting(row -> row.get("channel")).containsOnly("api");
		assertThat(first.get("prediction_id")).isEqualTo(logged.get(0).get("id").toString());
	}

	@Test
	void aFrenchSpreadsheetsFileIsReadAsItIsSaved() throws Exception {
		// semicolons, decimals with a comma, a byte order mark, the form's French words
		Map<String, String> applicant = new LinkedHashMap<>(applicant());
		Map<String, String> french = new LinkedHashMap<>();
		applicant.forEach((field, value) -> french.put(switch (field) {
			case "age" -> "Âge";
			case "housing" -> "Logement";
			default -> field;
		}, switch (field) {
			case "housing" -> "Propriétaire";
			case "credit_amount" -> "1169,0";
			default -> value;
		}));
		french.put("Dossier", "A-17");
		String csv = "\uFEFF" + csv(';', french.keySet(), List.of(french.values()));

		HttpResponse<String> accepted = postCsv(csv);

		assertThat(accepted.statusCode()).isEqualTo(202);
		JsonNode done = finishedBatch(accepted.headers().firstValue("Location").orElseThrow());
		assertThat(done.get("scored").asInt()).isEqualTo(1);
		Map<String, String> result = resultRow(batchResults(get(done.get("results").asString(), "fr").body()), 1);
		assertThat(result).containsEntry("Dossier", "A-17").containsEntry("Logement", "Propriétaire");
		String id = done.get("id").asString();
		String answers = jdbc.queryForObject("select input_json from prediction where batch_id = ?", String.class, id);
		assertThat(JSON.readTree(answers).get("housing").asString()).isEqualTo("own");
		assertThat(JSON.readTree(answers).get("credit_amount").asString()).isEqualTo("1169");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			an empty file            | EMPTY     | 400 | This file is empty
			a header and no row      | HEADER    | 422 | no case under it
			a missing column         | NO_AGE    | 422 | no column for: age
			a file not in UTF-8      | LATIN1    | 422 | not UTF-8
			a quote never closed     | QUOTE     | 422 | cannot be read as CSV
			more rows than allowed   | TOO_MANY  | 422 | more than 10,000 rows
			a file over 10 MB        | HUGE      | 413 | larger than the 10 MB accepted
			""")
	void aFileThatCannotBeABatchIsRefusedBeforeAnyWork(String what, String kind, int status, String says) {
		long batches = jdbc.queryForObject("select count(*) from batch", Long.class);
		long rows = predictionRows();
		Map<String, String> applicant = applicant();
		byte[] body = switch (kind) {
			case "EMPTY" -> new byte[0];
			case "HEADER" -> csv(',', applicant.keySet(), List.of()).getBytes(StandardCharsets.UTF_8);
			case "NO_AGE" -> {
				Map<String, String> without = new LinkedHashMap<>(applicant);
				without.remove("age");
				yield csv(',', without.keySet(), List.of(without.values())).getBytes(StandardCharsets.UTF_8);
			}
			case "LATIN1" -> csv(';', List.of("Âge"), List.of(List.of("éé"))).getBytes(StandardCharsets.ISO_8859_1);
			case "QUOTE" -> (String.join(",", applicant.keySet()) + "\n\"<0,6\n").getBytes(StandardCharsets.UTF_8);
			case "HUGE" -> (String.join(",", applicant.keySet()) + "\n" + "x".repeat(11 * 1024 * 1024))
				.getBytes(StandardCharsets.UTF_8);
			default -> {
				List<java.util.Collection<String>> many = new ArrayList<>();
				for (int i = 0; i < 10_001; i++) {
					many.add(applicant.values());
				}
				yield csv(',', applicant.keySet(), many).getBytes(StandardCharsets.UTF_8);
			}
		};

		HttpResponse<String> refused = send(HttpRequest.newBuilder(uri(API))
			.header("Content-Type", "text/csv")
			.header("Accept-Language", "en")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body)));

		assertThat(refused.statusCode()).as(what).isEqualTo(status);
		assertThat(JSON.readTree(refused.body()).get("detail").asString()).as(what).contains(says);
		assertThat(jdbc.queryForObject("select count(*) from batch", Long.class)).isEqualTo(batches);
		assertThat(predictionRows()).isEqualTo(rows);
	}

	@ParameterizedTest
	@CsvSource({ "en, larger than the 10 MB accepted", "fr, dépasse les 10 Mo acceptés" })
	void aFileOverTheLimitFromThePageGetsItsMessageOnThePage(String language, String says) {
		byte[] huge = ("age\n" + "1\n".repeat(6 * 1024 * 1024)).getBytes(StandardCharsets.UTF_8);

		HttpResponse<String> refused = upload("/credit/batches", "file", "cases.csv", huge, language);

		assertThat(refused.statusCode()).isEqualTo(413);
		assertThat(html(refused).selectFirst("#error").text()).contains(says);
	}

	@Test
	void anImageModelSaysItTakesNoFileOfCasesAndAnUnknownOneIsA404() {
		HttpResponse<String> image = send(
				HttpRequest.newBuilder(uri("/api/v1/models/" + TestModels.REFERENCE + "/batches"))
					.header("Content-Type", "text/csv")
					.header("Accept-Language", "en")
					.POST(HttpRequest.BodyPublishers.ofString("age\n30\n")));
		HttpResponse<String> unknown = send(HttpRequest.newBuilder(uri("/api/v1/models/nope/batches"))
			.header("Content-Type", "text/csv")
			.POST(HttpRequest.BodyPublishers.ofString("age\n30\n")));

		assertThat(image.statusCode()).isEqualTo(422);
		assertThat(JSON.readTree(image.body()).get("detail").asString()).contains("reads photos: send it photos");
		assertThat(unknown.statusCode()).isEqualTo(404);
	}

	@Test
	void unknownBatchesAndUnfinishedResultsSaySo() {
		assertThat(get("/api/v1/batches/00000000-0000-0000-0000-000000000000", "en").statusCode()).isEqualTo(404);
		assertThat(get("/api/v1/batches/nope/results.csv", "en").statusCode()).isEqualTo(404);
		assertThat(get("/credit/batches/00000000-0000-0000-0000-000000000000", "fr").statusCode()).isEqualTo(404);
	}

	/**
	 * The same results as a spreadsheet: the same cells, the numbers stored as numbers
	 * (which the reader's spreadsheet shows the reader's way), the text as text.
	 */
	@Test
	void theResultsComeAsASpreadsheetTooWithTheirNumbersAsNumbers() throws Exception {
		Map<String, String> applicant = applicant();
		String csv = csv(',', applicant.keySet(),
				List.of(applicant.values(), withAnswer(applicant, "age", "12"), withAnswer(applicant, "age", "40")));
		JsonNode done = finishedBatch(postCsv(csv).headers().firstValue("Location").orElseThrow());
		List<CSVRecord> fromCsv = batchResults(get(done.get("results").asString(), "fr").body());

		HttpResponse<byte[]> xlsx = http().send(
				HttpRequest.newBuilder(uri(done.get("spreadsheet").asString())).header("Accept-Language", "fr").build(),
				HttpResponse.BodyHandlers.ofByteArray());

		assertThat(xlsx.statusCode()).isEqualTo(200);
		assertThat(xlsx.headers().firstValue("Content-Type"))
			.hasValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
		assertThat(xlsx.headers().firstValue("Content-Disposition"))
			.hasValueSatisfying(disposition -> assertThat(disposition)
				.matches("attachment; filename=\"credit-batch-[0-9a-f]{8}\\.xlsx\""));
		try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(xlsx.body()))) {
			List<Row> rows = workbook.getFirstSheet().read();
			assertThat(rows).hasSize(fromCsv.size());
			List<String> header = fromCsv.get(0).toList();
			for (int r = 0; r < rows.size(); r++) {
				for (int c = 0; c < header.size(); c++) {
					String expected = fromCsv.get(r).get(c);
					Cell cell = rows.get(r).getOptionalCell(c).orElse(null);
					String column = header.get(c);
					boolean number = r > 0 && (column.equals("row") || column.startsWith("probability_")
							|| column.equals("prediction_id")) && !expected.isEmpty();
					if (number) {
						assertThat(cell.getType()).as(column + " of row " + r).isEqualTo(CellType.NUMBER);
						assertThat(cell.asNumber().doubleValue()).as(column + " of row " + r)
							.isCloseTo(Double.parseDouble(expected), org.assertj.core.data.Offset.offset(1e-6));
					}
					else if (expected.isEmpty()) {
						assertThat(cell == null || cell.getType() == CellType.EMPTY).as(column + " of row " + r)
							.isTrue();
					}
					else {
						assertThat(cell.getType()).as(column + " of row " + r).isEqualTo(CellType.STRING);
						assertThat(cell.getText()).as(column + " of row " + r).isEqualTo(expected);
					}
				}
			}
			assertThat(rows.get(2).getCell(header.indexOf("message")).getText()).startsWith("Âge");
		}
	}

	@ParameterizedTest
	@CsvSource({ "en, A file of cases, Score the file, Download the results, Files you sent",
			"fr, Un fichier de cas, Évaluer le fichier, Télécharger les résultats, Fichiers que vous avez envoyés" })
	void aPersonSendsAFileFromTheSecondTabAndComesBackToItsResults(String language, String tab, String submit,
			String download, String recent) throws Exception {
		Document form = html(get("/credit", language));
		assertThat(form.select("#model-tabs a").eachText()).hasSize(2).contains(tab);

		Document batchTab = html(get(form.selectFirst("#batch-tab").attr("href"), language));
		assertThat(batchTab.selectFirst("#batch-tab").hasClass("active")).isTrue();
		assertThat(batchTab.selectFirst("#batch-form button").text()).isEqualTo(submit);
		HttpResponse<String> template = get(batchTab.selectFirst("#template").attr("href"), language);
		assertThat(template.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
		assertThat(batchResults(template.body()).get(0).toList()).contains("checking_status", "age", "foreign_worker");

		Map<String, String> applicant = applicant();
		String csv = csv(',', applicant.keySet(), List.of(applicant.values(), withAnswer(applicant, "age", "x")));
		HttpResponse<String> sent = upload("/credit/batches", "file", "cases.csv", csv.getBytes(StandardCharsets.UTF_8),
				language);
		assertThat(sent.statusCode()).isEqualTo(200);
		assertThat(sent.uri().getPath()).matches("/credit/batches/[0-9a-f-]{36}");
		String page = sent.uri().getPath();
		finishedBatch("/api/v1/batches/" + page.substring(page.lastIndexOf('/') + 1));

		Document finished = html(get(page, language));
		assertThat(finished.selectFirst("#progress-bar").attr("style")).isEqualTo("width: 100.00%");
		assertThat(finished.selectFirst("#download").text()).startsWith(download);
		assertThat(finished.selectFirst("#download-xlsx").text())
			.isEqualTo(language.equals("fr") ? "En tableur (XLSX)" : "As a spreadsheet (XLSX)");
		HttpResponse<String> spreadsheet = get(finished.selectFirst("#download-xlsx").attr("href"), language);
		assertThat(spreadsheet.statusCode()).isEqualTo(200);
		assertThat(spreadsheet.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/vnd.openxmlformats-officedocument.spreadsheetml"));
		assertThat(finished.select("#refusals tbody tr")).hasSize(1);
		assertThat(finished.selectFirst("#refusals tbody tr td").text()).isEqualTo("2");
		List<CSVRecord> results = batchResults(get(finished.selectFirst("#download").attr("href"), language).body());
		assertThat(resultRow(results, 2).get("message")).startsWith(language.equals("fr") ? "Âge" : "Age");

		Document back = html(get("/credit/batches", language));
		assertThat(back.selectFirst("#recent h2").text()).isEqualTo(recent);
		assertThat(back.select("#recent a").eachAttr("href")).contains(page);
	}

	@Test
	void theAdminSeesABatchsRowsInTheHistory() throws Exception {
		Map<String, String> applicant = applicant();
		JsonNode done = finishedBatch(
				postCsv(csv(',', applicant.keySet(), List.of(applicant.values(), applicant.values()))).headers()
					.firstValue("Location")
					.orElseThrow());
		logInAsAdmin();

		Document history = html(get(done.get("history").asString(), "en"));

		assertThat(history.select("#history tbody tr")).hasSize(2);
		assertThat(history.selectFirst("#batch").attr("value")).isEqualTo(done.get("id").asString());
		String export = get("/history/export.csv?batch=" + done.get("id").asString(), "en").body();
		assertThat(batchResults(export)).hasSize(3);
	}

	/**
	 * Batches sent while people ask for single decisions (the log writing all the time):
	 * each is accepted and finished, on SQLite, where a transaction that reads before it
	 * writes would fail when another wrote in between.
	 */
	@Test
	void batchesSentWhileTheLogIsBusyAreAcceptedAndFinished() throws Exception {
		Map<String, String> applicant = applicant();
		List<java.util.Collection<String>> thousand = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			thousand.add(applicant.values());
		}
		String csv = csv(',', applicant.keySet(), thousand);
		String single = JSON.writeValueAsString(applicant);
		java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
		java.util.concurrent.ExecutorService people = java.util.concurrent.Executors.newFixedThreadPool(6);
		List<java.util.concurrent.Future<Integer>> asked = new ArrayList<>();
		for (int p = 0; p < 6; p++) {
			asked.add(people.submit(() -> {
				int answered = 0;
				while (!stop.get()) {
					HttpResponse<String> decision = send(
							HttpRequest.newBuilder(uri("/api/v1/models/credit/predictions"))
								.header("Content-Type", "application/json")
								.POST(HttpRequest.BodyPublishers.ofString(single)),
							java.net.http.HttpClient.newHttpClient());
					assertThat(decision.statusCode()).isEqualTo(200);
					answered++;
				}
				return answered;
			}));
		}
		List<String> locations = new ArrayList<>();
		try {
			for (int b = 0; b < 5; b++) {
				HttpResponse<String> accepted = postCsv(csv);
				assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
				locations.add(accepted.headers().firstValue("Location").orElseThrow());
			}
			for (String location : locations) {
				JsonNode done = finishedBatch(location);
				assertThat(done.get("state").asString()).isEqualTo("done");
				assertThat(done.get("scored").asInt()).isEqualTo(1000);
			}
		}
		finally {
			stop.set(true);
			people.shutdown();
		}
		for (java.util.concurrent.Future<Integer> person : asked) {
			assertThat(person.get()).isPositive();
		}
	}

	private HttpResponse<String> postCsv(String csv) {
		return send(HttpRequest.newBuilder(uri(API))
			.header("Content-Type", "text/csv")
			.header("Accept-Language", "en")
			.POST(HttpRequest.BodyPublishers.ofString(csv)));
	}

	private static Map<String, String> applicant() {
		try {
			return JSON.readValue(Files.readString(Path.of("src/test/resources/credit/applicant.json")),
					new TypeReference<LinkedHashMap<String, String>>() {
					});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static java.util.Collection<String> withAnswer(Map<String, String> applicant, String field, String value) {
		Map<String, String> changed = new LinkedHashMap<>(applicant);
		changed.put(field, value);
		return changed.values();
	}

	private static String csv(char delimiter, java.util.Collection<String> header,
			List<? extends java.util.Collection<String>> rows) {
		StringBuilder out = new StringBuilder();
		CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).get();
		try {
			format.printRecord(out, header.toArray());
			for (java.util.Collection<String> row : rows) {
				format.printRecord(out, row.toArray());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString();
	}

}
