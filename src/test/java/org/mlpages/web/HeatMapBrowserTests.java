package org.mlpages.web;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A person asks where the model looked, on a photo's answer, in a real browser, in each
 * language: the map is drawn over the part of the photo the model saw (its centre square,
 * for this model and this upright photo), with the note saying how it was made, and is
 * hidden again with the same button, without reloading.
 */
class HeatMapBrowserTests extends WebTestSupport {

	@RegisterExtension
	static final HeadlessChromium chromium = new HeadlessChromium();

	@ParameterizedTest
	@ValueSource(strings = { "en", "fr" })
	void theMapIsDrawnOverWhatTheModelSaw(String language, WebDriver browser) throws Exception {
		boolean fr = language.equals("fr");
		browser.get(uri("/image/" + TestModels.RETRAINED + "?lang=" + language).toString());
		BrowserSteps.sendPhoto(browser, PHOTOS.resolve("nasser0111_cat.jpg"));
		BrowserSteps.waitFor(browser, By.id("look"));
		String page = browser.getCurrentUrl();
		WebElement look = browser.findElement(By.id("look"));
		WebElement map = browser.findElement(By.id("heat-map"));
		assertThat(look.getText()).isEqualTo(fr ? "Montrer où le modèle a regardé" : "Show where the model looked");
		assertThat(map.isDisplayed()).isFalse();

		look.sendKeys(Keys.ENTER);
		new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> map.isDisplayed());

		assertThat(browser.getCurrentUrl()).as("no reload").isEqualTo(page);
		assertThat(look.getText()).isEqualTo(fr ? "Cacher où le modèle a regardé" : "Hide where the model looked");
		assertThat(browser.findElement(By.id("look-note")).getText())
			.startsWith(fr ? "Carte d’activation de classe" : "Class activation map")
			.contains(fr ? "« Chat »" : "“Cat”");
		@SuppressWarnings("unchecked")
		Map<String, Object> drawn = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript("""
				const photo = document.querySelector('#photo-frame .result-photo').getBoundingClientRect();
				const map = document.getElementById('heat-map');
				const box = map.getBoundingClientRect();
				return { loaded: map.complete && map.naturalWidth > 0, photoLeft: photo.left, photoTop: photo.top,
				         photoWidth: photo.width, photoHeight: photo.height, left: box.left, top: box.top,
				         width: box.width, height: box.height };""");
		assertThat(drawn.get("loaded")).isEqualTo(true);
		double photoWidth = number(drawn, "photoWidth");
		double photoHeight = number(drawn, "photoHeight");
		// the photo is 2:3 upright; the model saw its centre square
		assertThat(number(drawn, "width")).isCloseTo(photoWidth, within(1.0));
		assertThat(number(drawn, "height")).isCloseTo(photoHeight * 2 / 3, within(1.5));
		assertThat(number(drawn, "left")).isCloseTo(number(drawn, "photoLeft"), within(1.0));
		assertThat(number(drawn, "top") - number(drawn, "photoTop")).isCloseTo(photoHeight / 6, within(1.5));
		chromium.screenshot(language + "-heat-map.png");

		look.sendKeys(Keys.ENTER);
		assertThat(map.isDisplayed()).isFalse();
		assertThat(look.getText()).isEqualTo(fr ? "Montrer où le modèle a regardé" : "Show where the model looked");
	}

	private static double number(Map<String, Object> values, String key) {
		return ((Number) values.get(key)).doubleValue();
	}

}
