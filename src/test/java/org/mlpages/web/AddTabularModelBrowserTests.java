package org.mlpages.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Add a model" with an ONNX file in a real browser, in each language: upload, describe
 * the fields and classes, try a row (a wrong answer first), publish, then fill the
 * model's generated page (a wrong answer first) and read the decision and its
 * explanation, drawn at their values; then retire the model.
 */
class AddTabularModelBrowserTests extends TrainingTestSupport {

	@RegisterExtension
	static final HeadlessChromium chromium = new HeadlessChromium();

	@ParameterizedTest
	@ValueSource(strings = { "en", "fr" })
	void fromUploadToAnExplainedDecision(String language, WebDriver browser) throws IOException {
		boolean fr = language.equals("fr");
		String name = "loans_" + language;
		Path file = Path.of("target/test-data/uploads/" + name + ".onnx");
		Files.createDirectories(file.getParent());
		Files.copy(Path.of("src/test/resources/tabular/onnx/pipeline_strings.onnx"), file,
				StandardCopyOption.REPLACE_EXISTING);
		BrowserSteps.logInAsAdmin(browser, uri("/login?lang=" + language));
		browser.get(uri("/admin/models/new?lang=" + language).toString());
		browser.findElement(By.id("model-file")).sendKeys(file.toAbsolutePath().toString());
		browser.findElement(By.id("upload-submit")).sendKeys(Keys.ENTER);
		WebDriverWait wait = new WebDriverWait(browser, Duration.ofMinutes(1));
		wait.until(ExpectedConditions.urlMatches("/admin/models/tabular/tabular-[0-9a-f-]{36}$"));
		assertThat(browser.findElement(By.id("read-inputs")).getText())
			.isEqualTo("sex string, smoker string, age float");
		assertThat(browser.findElement(By.id("name")).getDomProperty("value")).isEqualTo(name);

		type(browser, By.id("titleEn"), "Loan repaid?");
		type(browser, By.id("titleFr"), "Prêt remboursé ?");
		type(browser, By.name("classesEn[0]"), "Not repaid");
		type(browser, By.name("classesFr[0]"), "Non remboursé");
		type(browser, By.name("classesEn[1]"), "Repaid");
		type(browser, By.name("classesFr[1]"), "Remboursé");
		String[][] fields = { { "Sex", "Sexe", "F | Woman | Femme\nM | Man | Homme", "F" },
				{ "Smoker", "Fumeur", "no | No | Non\nyes | Yes | Oui", "no" }, { "Age", "Âge", "", "40" } };
		for (int i = 0; i < fields.length; i++) {
			type(browser, By.name("fieldLabelsEn[" + i + "]"), fields[i][0]);
			type(browser, By.name("fieldLabelsFr[" + i + "]"), fields[i][1]);
			type(browser, By.name("fieldOptions[" + i + "]"), fields[i][2]);
			type(browser, By.name("fieldBaselines[" + i + "]"), fields[i][3]);
		}
		new Select(browser.findElement(By.name("fieldKinds[2]"))).selectByValue("integer");
		type(browser, By.name("fieldMins[2]"), "18");
		type(browser, By.name("fieldMaxs[2]"), "100");
		browser.findElement(By.id("try-submit")).sendKeys(Keys.ENTER);

		// the row to try, drawn as the page will draw it: a wrong age first
		BrowserSteps.waitFor(browser, By.id("row-age"));
		new Select(browser.findElement(By.id("row-sex"))).selectByVisibleText(fr ? "Homme" : "Man");
		new Select(browser.findElement(By.id("row-smoker"))).selectByVisibleText(fr ? "Oui" : "Yes");
		type(browser, By.id("row-age"), "12");
		browser.findElement(By.id("try-submit")).sendKeys(Keys.ENTER);
		BrowserSteps.waitFor(browser, By.cssSelector("#try .invalid-feedback[data-field=age]"));
		assertThat(browser.findElement(By.cssSelector("#try .invalid-feedback[data-field=age]")).getText())
			.isEqualTo(fr ? "Entre 18 et 100." : "Between 18 and 100.");
		type(browser, By.id("row-age"), "61");
		browser.findElement(By.id("try-submit")).sendKeys(Keys.ENTER);
		BrowserSteps.waitFor(browser, By.id("tried-decision"));
		assertThat(browser.findElement(By.id("tried-decision")).getText())
			.isIn(fr ? new String[] { "Remboursé", "Non remboursé" } : new String[] { "Repaid", "Not repaid" });
		chromium.screenshot(language + "-add-tabular-draft.png");

		browser.findElement(By.id("publish-submit")).sendKeys(Keys.ENTER);
		wait.until(ExpectedConditions.urlMatches("/tabular/" + name + "$"));
		assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo(fr ? "Prêt remboursé ?" : "Loan repaid?");
		// every answer away from its usual value (Woman, No, 40): three bars
		new Select(browser.findElement(By.id("sex"))).selectByVisibleText(fr ? "Homme" : "Man");
		new Select(browser.findElement(By.id("smoker"))).selectByVisibleText(fr ? "Oui" : "Yes");
		type(browser, By.id("age"), "101");
		browser.findElement(By.cssSelector("#tabular-form button[type=submit]")).sendKeys(Keys.ENTER);
		BrowserSteps.waitFor(browser, By.cssSelector(".invalid-feedback[data-field=age]"));
		assertThat(browser.findElement(By.cssSelector(".invalid-feedback[data-field=age]")).getText())
			.isEqualTo(fr ? "Entre 18 et 100." : "Between 18 and 100.");
		type(browser, By.id("age"), "30");
		browser.findElement(By.cssSelector("#tabular-form button[type=submit]")).sendKeys(Keys.ENTER);
		BrowserSteps.waitFor(browser, By.id("decision"));
		assertThat(DrawnCharts.assertProgressBarsMatchTheirValues(browser)).isEqualTo(2);
		assertThat(DrawnCharts.assertChartsMatchTheirNumbers(browser, Locale.forLanguageTag(language))).isEqualTo(3);
		chromium.screenshot(language + "-add-tabular-decision.png");

		browser.get(uri("/admin/models/new?lang=" + language).toString());
		browser.findElement(By.id("retire-" + name)).sendKeys(Keys.ENTER);
		BrowserSteps.waitFor(browser, By.id("retired"));
		assertThat(browser.findElements(By.cssSelector("#menu a")))
			.noneSatisfy(link -> assertThat(link.getText()).contains(fr ? "Prêt remboursé" : "Loan repaid"));
	}

	private static void type(WebDriver browser, By field, String text) {
		WebElement element = browser.findElement(field);
		element.clear();
		element.sendKeys(text);
	}

}
