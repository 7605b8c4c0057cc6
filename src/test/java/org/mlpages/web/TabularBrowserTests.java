package org.mlpages.web;

import java.util.Locale;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tabular model's generated form in a real browser, in each language: a wrong answer
 * first (its message beside the field, what was typed kept), then the decision, each
 * class's probability drawn at its value and the explanation's bars at theirs.
 */
class TabularBrowserTests extends WebTestSupport {

	@RegisterExtension
	static final HeadlessChromium chromium = new HeadlessChromium();

	@ParameterizedTest
	@ValueSource(strings = { "en", "fr" })
	void aWrongAnswerThenADecisionAndWhy(String language, WebDriver browser) throws java.io.IOException {
		boolean fr = language.equals("fr");
		browser.get(uri("/tabular/" + TestModels.TABULAR + "?lang=" + language).toString());
		new Select(browser.findElement(By.id("sex"))).selectByVisibleText(fr ? "Homme" : "Man");
		new Select(browser.findElement(By.id("smoker"))).selectByVisibleText(fr ? "Oui" : "Yes");
		WebElement age = browser.findElement(By.id("age"));
		age.sendKeys("12");
		browser.findElement(By.cssSelector("#tabular-form button[type=submit]")).sendKeys(Keys.ENTER);

		BrowserSteps.waitFor(browser, By.cssSelector(".invalid-feedback[data-field=age]"));
		WebElement message = browser.findElement(By.cssSelector(".invalid-feedback[data-field=age]"));
		assertThat(message.isDisplayed()).isTrue();
		assertThat(message.getText()).isEqualTo(fr ? "Entre 18 et 100 ans." : "Between 18 and 100 years.");
		assertThat(browser.findElement(By.id("age")).getDomProperty("value")).isEqualTo("12");
		assertThat(new Select(browser.findElement(By.id("sex"))).getFirstSelectedOption().getText())
			.isEqualTo(fr ? "Homme" : "Man");
		chromium.screenshot(language + "-tabular-mistake.png");

		age = browser.findElement(By.id("age"));
		age.clear();
		age.sendKeys("61");
		browser.findElement(By.cssSelector("#tabular-form button[type=submit]")).sendKeys(Keys.ENTER);
		BrowserSteps.waitFor(browser, By.id("decision"));
		assertThat(browser.findElement(By.id("decision")).getText())
			.isIn(fr ? new String[] { "Remboursé", "Non remboursé" } : new String[] { "Repaid", "Not repaid" });
		assertThat(DrawnCharts.assertProgressBarsMatchTheirValues(browser)).isEqualTo(2);
		assertThat(DrawnCharts.assertChartsMatchTheirNumbers(browser, Locale.forLanguageTag(language)))
			.as("one bar per answer")
			.isEqualTo(3);
		DrawnCharts.assertNoLocaleNumbersInStyles(browser);
		chromium.screenshot(language + "-tabular-decision.png");
	}

}
