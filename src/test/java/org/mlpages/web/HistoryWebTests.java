package org.mlpages.web;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin's history: filters, pages, charts and the CSV export of the same rows. */
class HistoryWebTests extends WebTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static boolean seeded;

	@BeforeEach
	void someOfEachKind() {
		if (!seeded) {
			seed();
			seeded = true;
		}
		logInAsAdmin();
	}

	private void seed() {
		for (int i = 0; i < 26; i++) {
			send(java.net.http.HttpRequest.newBuilder(uri("/api/v1/models/credit/predictions"))
				.header("Content-Type", "application/json")
				.POST(java.net.http.HttpRequest.BodyPublishers
					.ofString(JSON.writeValueAsString(CreditWebTests.applicant()))));
		}
		upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image", "=HYPERLINK(\"x\").jpg",
				photo("nasser0111_dog.jpg"), "en");
	}

	@Test
	void filtersNarrowTheRowsAndPagesWalkThroughThem() {
		Document credit = html(get("/history?model=credit", "en"));
		Document dogs = html(get("/history?model=" + TestModels.REFERENCE + "&label=Dog", "en"));

		assertThat(credit.select("#history tbody tr")).hasSize(25);
		assertThat(credit.select("#history tbody tr td:nth-child(2)").eachText()).containsOnly("credit");
		assertThat(dogs.select("#history tbody tr td:nth-child(5)").eachText()).isNotEmpty().containsOnly("Dog");
		String next = credit.selectFirst("#next-page").attr("href");
		assertThat(next).contains("page=1", "model=credit");
		assertThat(html(get(next, "en")).select("#history tbody tr td:nth-child(2)").eachText()).containsOnly("credit");
	}

	@Test
	void aDateRangeInThePastShowsNothing() {
		Document page = html(get("/history?from=2001-01-01&to=2001-12-31", "en"));

		assertThat(page.selectFirst("#history-empty")).isNotNull();
	}

	@Test
	void chartsCountTodaysPredictionsByAnswerInTheReadersWords() {
		Document english = html(get("/history?model=credit", "en"));
		Document french = html(get("/history?model=credit", "fr"));

		assertThat(english.select("#chart-days .chart-drawing .chart-row:not(.chart-axis) .chart-label").eachText())
			.contains(java.time.format.DateTimeFormatter.ofLocalizedDate(java.time.format.FormatStyle.MEDIUM)
				.withLocale(java.util.Locale.ENGLISH)
				.format(LocalDate.now()));
		assertThat(english.select("#chart-days .legend-item").eachText()).isSubsetOf("granted", "refused");
		assertThat(french.select("#chart-days .legend-item").eachText()).isSubsetOf("accordé", "refusé");
		assertThat(french.select("#history tbody td:nth-child(5)").eachText()).isSubsetOf("accordé", "refusé");
		assertThat(english.select("#chart-confidence rect.chart-bar")
			.stream()
			.mapToDouble(bar -> Double.parseDouble(bar.attr("data-value")))
			.sum()).isGreaterThanOrEqualTo(26);
		assertThat(english.select("#chart-latency table tbody th").eachText()).as("the models by their titles")
			.containsExactly("Would the bank grant this credit?");
	}

	@Test
	void theExportHoldsTheFilteredRowsWithFormulasDisarmed() {
		HttpResponse<String> csv = get("/history/export.csv?model=" + TestModels.REFERENCE, "en");

		assertThat(csv.statusCode()).isEqualTo(200);
		assertThat(csv.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
		List<String> lines = csv.body().lines().toList();
		assertThat(lines.get(0)).startsWith("id,created_at,channel,kind,model,model_sha256,label,top_probability");
		assertThat(lines.subList(1, lines.size())).allSatisfy(line -> assertThat(line).contains(TestModels.REFERENCE));
		assertThat(csv.body()).contains("\"'=HYPERLINK(\"\"x\"\").jpg\"");
	}

	@Test
	void aCreditRowShowsTheProbabilityOfTheAnswerItGave() {
		tools.jackson.databind.JsonNode decision = JSON
			.readTree(send(java.net.http.HttpRequest.newBuilder(uri("/api/v1/models/credit/predictions"))
				.header("Content-Type", "application/json")
				.POST(java.net.http.HttpRequest.BodyPublishers
					.ofString(JSON.writeValueAsString(CreditWebTests.applicant()))))
				.body());
		double answers = decision.get("probabilities").get(decision.get("decision").asString()).asDouble();
		String id = decision.get("id").asString();

		Document page = html(get("/history?model=credit", "en"));
		String row = page.select("#history tbody tr")
			.stream()
			.filter(tr -> tr.selectFirst("a").attr("href").endsWith("/" + id))
			.findFirst()
			.orElseThrow()
			.selectFirst("td:nth-child(6)")
			.text();
		assertThat(row).isEqualTo(String.format(java.util.Locale.ENGLISH, "%.1f %%", answers * 100));
		String csvLine = get("/history/export.csv?model=credit", "en").body()
			.lines()
			.filter(line -> line.startsWith(id + ","))
			.findFirst()
			.orElseThrow();
		assertThat(Double.parseDouble(csvLine.split(",")[7])).isCloseTo(answers,
				org.assertj.core.data.Offset.offset(1e-6));
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aDownloadStoppedEarlyLeavesADebugLineNotAnError(CapturedOutput output) throws Exception {
		// enough rows that the file outgrows what the connection buffers before the
		// client leaves
		List<Object[]> rows = new java.util.ArrayList<>();
		for (int i = 0; i < 60_000; i++) {
			rows.add(new Object[] { java.sql.Timestamp.from(java.time.Instant.now()), "bulk-download" });
		}
		jdbc.batchUpdate("insert into prediction (created_at, channel, model_name, model_sha256, label, probabilities,"
				+ " inference_ms, latency_ms, kind) values (?, 'API', ?, 'sha', 'Cat', '{\"Cat\":0.9,\"Dog\":0.1}',"
				+ " 1.0, 2.0, 'image')", rows);
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		logging.setLogLevel("org.mlpages.system.RequestErrorAdvice", LogLevel.DEBUG);
		try {
			try (java.io.InputStream csv = stream("/history/export.csv?model=bulk-download")) {
				assertThat(new String(csv.readNBytes(40), java.nio.charset.StandardCharsets.UTF_8)).startsWith("id,");
			}
			long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
			while (!output.getAll().contains("the client closed the connection") && System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
			assertThat(output.getAll()).contains("export.csv: the client closed the connection")
				.doesNotContain(" ERROR ")
				.doesNotContain("Broken pipe\n\tat ");
		}
		finally {
			logging.setLogLevel("org.mlpages.system.RequestErrorAdvice", null);
			jdbc.update("delete from prediction where model_name = 'bulk-download'");
		}
	}

	/**
	 * More rows than the page ever read at once (100,000 once; the service died at
	 * 54,560): every one is counted and exported, and the figures are those of the rows.
	 */
	@Test
	void sixtyThousandRowsAreAllCountedAndExported() {
		int count = 60_000;
		java.time.ZoneId zone = java.time.ZoneId.systemDefault();
		LocalDate today = LocalDate.now(zone);
		List<Object[]> rows = new java.util.ArrayList<>();
		long[][] perDay = new long[3][2];
		for (int i = 0; i < count; i++) {
			int day = i / 20_000;
			boolean cat = i % 3 == 0;
			perDay[day][cat ? 0 : 1]++;
			double top = (i % 10) / 10.0 + 0.05;
			// three rows in each millisecond: the export's slices must not lose ties
			java.time.Instant at = today.minusDays(2 - day)
				.atTime(12, 0)
				.atZone(zone)
				.toInstant()
				.plusMillis((i % 20_000) / 3);
			rows.add(new Object[] { java.sql.Timestamp.from(at), cat ? "Cat" : "Dog",
					"{\"" + (cat ? "Cat" : "Dog") + "\":" + top + "}", top, (double) (i % 1000 + 1) });
		}
		jdbc.batchUpdate("insert into prediction (created_at, channel, model_name, model_sha256, label, probabilities,"
				+ " top_probability, inference_ms, latency_ms, kind) values (?, 'api', 'bulk-charts', 'sha', ?, ?, ?,"
				+ " 1.0, ?, 'image')", rows);
		try {
			Document page = html(get("/history?model=bulk-charts", "en"));

			assertThat(page.select("#charts p").text())
				.isEqualTo("Charts drawn from all 60,000 rows that match the filter.");
			java.time.format.DateTimeFormatter date = java.time.format.DateTimeFormatter
				.ofLocalizedDate(java.time.format.FormatStyle.MEDIUM)
				.withLocale(java.util.Locale.ENGLISH);
			List<String> days = new java.util.ArrayList<>();
			for (int day = 0; day < 3; day++) {
				days.add(date.format(today.minusDays(2 - day)) + " "
						+ String.format(java.util.Locale.ENGLISH, "%,d %,d", perDay[day][0], perDay[day][1]));
			}
			assertThat(page.select("#chart-days table tbody tr").eachText()).containsExactlyElementsOf(days);
			assertThat(page.select("#chart-confidence table tbody td").eachText()).hasSize(10).containsOnly("6,000");
			assertThat(page.select("#chart-latency table tbody tr").eachText())
				.as("each latency from 1 to 1,000 ms 60 times: nearest ranks 30,000, 54,000 and 59,400")
				.containsExactly("bulk-charts 500.0 ms 900.0 ms 990.0 ms");

			List<String> exported = get("/history/export.csv?model=bulk-charts", "en").body().lines().skip(1).toList();
			assertThat(exported).hasSize(count);
			assertThat(exported.stream().map(line -> line.substring(0, line.indexOf(','))).distinct()).hasSize(count);
		}
		finally {
			jdbc.update("delete from prediction where model_name = 'bulk-charts'");
		}
	}

	@Test
	void theExportNeedsTheAdminAccountToo() {
		HttpResponse<String> anonymous = send(java.net.http.HttpRequest.newBuilder(uri("/history/export.csv")).GET(),
				java.net.http.HttpClient.newBuilder().build());

		assertThat(anonymous.statusCode()).isIn(302, 401, 403);
	}

}
