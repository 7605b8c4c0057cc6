package org.mlpages.web;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.Lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person scores a file of 500 credit applications from the model's second tab, in a
 * real browser, in each language: the file waits for its turn (the batches' thread held
 * meanwhile), its page follows it by itself (the script polls its progress and shows the
 * results when it is finished; nobody reloads), the bar is drawn across its whole track,
 * the refused rows are listed with their reasons, and the results download with every
 * row.
 */
class BatchBrowserTests extends WebTestSupport {

	@RegisterExtension
	static final HeadlessChromium chromium = new HeadlessChromium();

	@Autowired
	ApplicationContext context;

	/** What the page's summary said, kept across the reload the script makes. */
	private static final String WATCH_SUMMARY = """
			const seen = () => JSON.parse(sessionStorage.getItem('summaries') || '[]');
			sessionStorage.setItem('summaries', JSON.stringify([document.getElementById('progress-summary').textContent]));
			new MutationObserver(() => sessionStorage.setItem('summaries',
			    JSON.stringify(seen().concat([document.getElementById('progress-summary').textContent]))))
			  .observe(document.getElementById('progress-summary'), { childList: true, characterData: true, subtree: true });
			""";

	@ParameterizedTest
	@ValueSource(strings = { "en", "fr" })
	void fiveHundredApplicationsFromTheSecondTab(String language, WebDriver browser) throws Exception {
		boolean fr = language.equals("fr");
		Path file = Files.createDirectories(Path.of("target/batch-browser"))
			.resolve("applications-" + language + ".csv");
		Files.writeString(file, applications(500), StandardCharsets.UTF_8);
		browser.get(uri("/credit?lang=" + language).toString());
		browser.findElement(By.id("batch-tab")).click();
		BrowserSteps.waitFor(browser, By.id("batch-form"));
		browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
		// the batches' thread held, so that the file is seen waiting for its turn
		Lifecycle runner = context.getBean("batchRunner", Lifecycle.class);
		runner.stop();
		try {
			browser.findElement(By.cssSelector("#batch-form button[type=submit]")).sendKeys(Keys.ENTER);
			BrowserSteps.waitFor(browser, By.id("progress-summary"));
			((JavascriptExecutor) browser).executeScript(WATCH_SUMMARY);
			chromium.screenshot(language + "-batch-waiting.png");
		}
		finally {
			runner.start();
		}

		new WebDriverWait(browser, Duration.ofSeconds(60))
			.until(ExpectedConditions.visibilityOfElementLocated(By.id("download")));

		@SuppressWarnings("unchecked")
		List<String> summaries = (List<String>) ((JavascriptExecutor) browser)
			.executeScript("return JSON.parse(sessionStorage.getItem('summaries') || '[]');");
		assertThat(summaries.get(0)).isEqualTo(fr ? "En attente de son tour : 0 lignes sur 500 traitées."
				: "Waiting for its turn: 0 of 500 rows done.");
		assertThat(browser.findElement(By.id("progress-summary")).getText())
			.isEqualTo(fr ? "Terminé : 500 lignes sur 500 traitées." : "Finished: 500 of 500 rows done.");
		assertThat(browser.findElement(By.id("progress-detail")).getText())
			.isEqualTo(fr ? "490 évaluées, 10 refusées, 0 restantes." : "490 scored, 10 refused, 0 to go.");
		assertThat(DrawnCharts.assertProgressBarsMatchTheirValues(browser)).isEqualTo(1);
		assertThat(browser.findElement(By.id("progress-track")).getDomAttribute("aria-valuenow")).isEqualTo("100.00");
		DrawnCharts.assertNoLocaleNumbersInStyles(browser);
		assertThat(browser.findElements(By.cssSelector("#refusals tbody tr"))).hasSize(10);
		assertThat(browser.findElement(By.cssSelector("#refusals tbody tr td:last-child")).getText())
			.isEqualTo(fr ? "Âge : Entre 15 et 80 ans." : "Age: Between 15 and 80 years.");
		chromium.screenshot(language + "-batch-finished.png");

		List<CSVRecord> results = CSVFormat.DEFAULT
			.parse(new StringReader(
					get(browser.findElement(By.id("download")).getDomAttribute("href"), language).body()))
			.getRecords();
		assertThat(results).hasSize(501);
		assertThat(results.stream().skip(1).map(row -> row.get(results.get(0).toList().indexOf("status"))))
			.containsOnly("scored", "refused")
			.filteredOn("refused"::equals)
			.hasSize(10);
	}

	/**
	 * A zip of 200 files, four of them not photos, chosen on the image model's second
	 * tab: followed to its end by the page's script, the refused files listed by name,
	 * every photo in the results.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "en", "fr" })
	void twoHundredPhotosInAZipFromTheSecondTab(String language, WebDriver browser) throws Exception {
		boolean fr = language.equals("fr");
		Map<String, byte[]> entries = new LinkedHashMap<>();
		List<String> names;
		try (Stream<Path> photos = Files.list(PHOTOS)) {
			names = photos.map(photo -> photo.getFileName().toString())
				.filter(name -> name.endsWith(".jpg"))
				.sorted()
				.toList();
		}
		for (int i = 0; entries.size() < 196; i++) {
			String name = names.get(i % names.size());
			entries.put("pets/" + i + "-" + name, photo(name));
		}
		for (int i = 1; i <= 4; i++) {
			entries.put("pets/notes-" + i + ".txt", ("note " + i).getBytes(StandardCharsets.UTF_8));
		}
		Path zip = Files.createDirectories(Path.of("target/batch-browser")).resolve("pets-" + language + ".zip");
		Files.write(zip, zipOf(entries));
		browser.get(uri("/image/" + TestModels.SHIPPED + "?lang=" + language).toString());
		browser.findElement(By.id("batch-tab")).click();
		BrowserSteps.waitFor(browser, By.id("batch-form"));
		browser.findElement(By.id("files")).sendKeys(zip.toAbsolutePath().toString());
		browser.findElement(By.cssSelector("#batch-form button[type=submit]")).sendKeys(Keys.ENTER);
		BrowserSteps.waitFor(browser, By.id("progress-summary"));
		((JavascriptExecutor) browser).executeScript(WATCH_SUMMARY);

		new WebDriverWait(browser, Duration.ofSeconds(120))
			.until(ExpectedConditions.visibilityOfElementLocated(By.id("download")));

		assertThat(browser.findElement(By.id("summary")).getText()).startsWith("pets-" + language + ".zip")
			.contains(fr ? "200 photos, envoyées le" : "200 photos, sent");
		assertThat(browser.findElement(By.id("progress-summary")).getText())
			.isEqualTo(fr ? "Terminé : 200 photos sur 200 traitées." : "Finished: 200 of 200 photos done.");
		assertThat(browser.findElement(By.id("progress-detail")).getText())
			.isEqualTo(fr ? "196 évaluées, 4 refusées, 0 restantes." : "196 scored, 4 refused, 0 to go.");
		assertThat(DrawnCharts.assertProgressBarsMatchTheirValues(browser)).isEqualTo(1);
		DrawnCharts.assertNoLocaleNumbersInStyles(browser);
		assertThat(browser.findElements(By.cssSelector("#refusals tbody tr"))).hasSize(4);
		assertThat(browser.findElement(By.cssSelector("#refusals tbody tr td:first-child")).getText()).isEqualTo("197");
		assertThat(browser.findElement(By.cssSelector("#refusals tbody tr td:last-child")).getText()).isEqualTo(
				fr ? "notes-1.txt : Ce fichier n’est pas une image. Envoyez une photo en JPEG, PNG, GIF, BMP ou WebP."
						: "notes-1.txt: This file is not an image. Send a photo in JPEG, PNG, GIF, BMP or WebP.");
		chromium.screenshot(language + "-photo-batch-finished.png");

		List<CSVRecord> results = CSVFormat.DEFAULT
			.parse(new StringReader(
					get(browser.findElement(By.id("download")).getDomAttribute("href"), language).body()))
			.getRecords();
		assertThat(results).hasSize(201);
		int answer = results.get(0).toList().indexOf("answer");
		assertThat(results.stream().skip(1).limit(196).map(row -> row.get(answer))).containsOnly("Cat", "Dog");
	}

	/** Applications as a spreadsheet would hold them: every 50th one aged 12. */
	private static String applications(int count) throws IOException {
		List<String> header = List.of("checking_status", "duration", "credit_history", "purpose", "credit_amount",
				"savings_status", "employment", "installment_commitment", "personal_status", "other_parties",
				"residence_since", "property_magnitude", "age", "other_payment_plans", "housing", "existing_credits",
				"job", "num_dependents", "own_telephone", "foreign_worker");
		StringBuilder out = new StringBuilder();
		CSVFormat.DEFAULT.printRecord(out, header.toArray());
		for (int i = 1; i <= count; i++) {
			List<Object> row = new ArrayList<>(List.of("<0", 6 + i % 40, "critical/other existing credit", "radio/tv",
					1000 + 37 * i, "no known savings", ">=7", 4, "male single", "none", 4, "real estate",
					i % 50 == 0 ? 12 : 20 + i % 50, "none", "own", 2, "skilled", 1, "yes", "yes"));
			CSVFormat.DEFAULT.printRecord(out, row.toArray());
		}
		return out.toString();
	}

}
