package org.mlpages.web;

import java.io.IOException;
import java.util.Locale;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bar a person sees, in English and in French, in the real browser: a photo's
 * probabilities, the credit explanation and the history's charts are drawn at the length
 * their numbers say ({@link DrawnCharts}).
 */
class DrawnChartsBrowserTests extends WebTestSupport {

	@RegisterExtension
	static final HeadlessChromium chromium = new HeadlessChromium();

	@ParameterizedTest
	@ValueSource(strings = { "en", "fr" })
	void aPhotosProbabilitiesAreDrawnAtTheirValue(String language, WebDriver browser) throws IOException {
		browser.get(uri("/image/" + TestModels.SHIPPED + "?lang=" + language).toString());
		BrowserSteps.sendPhoto(browser, PHOTOS.resolve("nasser0111_dog.jpg"));

		assertThat(DrawnCharts.assertProgressBarsMatchTheirValues(browser)).isEqualTo(2);
		for (var row : browser.findElements(By.cssSelector("#probabilities .probability"))) {
			double shown = DrawnCharts.read(row.findElement(By.cssSelector("span.text-end")).getText(),
					Locale.forLanguageTag(language));
			double value = Double
				.parseDouble(row.findElement(By.cssSelector(".progress")).getDomAttribute("aria-valuenow"));
			assertThat(shown).as("the number read beside the bar")
				.isCloseTo(value, org.assertj.core.data.Offset.offset(0.06));
		}
		DrawnCharts.assertNoLocaleNumbersInStyles(browser);
		chromium.screenshot("image-" + language + ".png");
	}

	@ParameterizedTest
	@ValueSource(strings = { "en", "fr" })
	void theCreditExplanationIsDrawnAtItsValues(String language, WebDriver browser) throws IOException {
		BrowserSteps.askForCredit(browser, uri("/credit?example=2&lang=" + language));

		assertThat(DrawnCharts.assertChartsMatchTheirNumbers(browser, Locale.forLanguageTag(language)))
			.isGreaterThanOrEqualTo(5);
		DrawnCharts.assertNoLocaleNumbersInStyles(browser);
		chromium.screenshot("credit-" + language + ".png");
	}

	@ParameterizedTest
	@ValueSource(strings = { "en", "fr" })
	void theHistorysChartsAreDrawnAtTheirValues(String language, WebDriver browser) throws IOException {
		// one prediction of each kind, so that every chart has something to draw
		BrowserSteps.askForCredit(browser, uri("/credit?example=1&lang=" + language));
		upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image", "cat.jpg",
				photo("nasser0111_cat.jpg"), "en");
		BrowserSteps.logInAsAdmin(browser, uri("/login"));

		browser.get(uri("/history?lang=" + language).toString());

		assertThat(browser.findElements(By.cssSelector("#chart-days rect.chart-bar"))).as("the days are drawn")
			.isNotEmpty();
		assertThat(DrawnCharts.assertChartsMatchTheirNumbers(browser, Locale.forLanguageTag(language)))
			.isGreaterThanOrEqualTo(4);
		DrawnCharts.assertNoLocaleNumbersInStyles(browser);
		chromium.screenshot("history-" + language + ".png");
	}

	@ParameterizedTest
	@ValueSource(strings = { "en", "fr" })
	void onAPhoneTheChartsStillMatchTheirNumbersAndNothingScrollsSideways(String language, WebDriver browser)
			throws IOException {
		BrowserSteps.askForCredit(browser, uri("/credit?example=1&lang=" + language));
		String decision = browser.getCurrentUrl();
		BrowserSteps.logInAsAdmin(browser, uri("/login"));
		Dimension desktop = browser.manage().window().getSize();
		// a phone's viewport: 390 CSS pixels wide
		browser.manage().window().setSize(new Dimension(390, 844));
		try {
			for (String page : new String[] { decision, uri("/history?lang=" + language).toString() }) {
				browser.get(page);
				assertThat(DrawnCharts.assertChartsMatchTheirNumbers(browser, Locale.forLanguageTag(language))).as(page)
					.isPositive();
				assertThat(browser.findElements(By.cssSelector("figure.chart svg.chart-track")))
					.allSatisfy(track -> assertThat(track.getSize().getWidth()).as("a track a bar can be seen on")
						.isGreaterThan(120));
				Number overflow = (Number) ((JavascriptExecutor) browser).executeScript(
						"return document.documentElement.scrollWidth - document.documentElement.clientWidth");
				assertThat(overflow.intValue()).as("%s scrolls sideways because of %s", page, widest(browser))
					.isLessThanOrEqualTo(0);
			}
			chromium.screenshot("phone-history-" + language + ".png");
		}
		finally {
			browser.manage().window().setSize(desktop);
		}
	}

	/**
	 * The elements that reach past the window's right edge, deepest first, for the
	 * failure's message.
	 */
	private static Object widest(WebDriver browser) {
		return ((JavascriptExecutor) browser).executeScript(
				"""
						return Array.from(document.querySelectorAll('body *'))
						  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
						  .filter(e => !Array.from(e.children).some(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 1))
						  .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id);
						""");
	}

}
