package org.mlpages.web;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo page in a real browser ({@link HeadlessChromium}): a click on a sample puts
 * the model's answer in place, without leaving the page.
 */
class DemoBrowserTests extends WebTestSupport {

	@RegisterExtension
	static final HeadlessChromium chromium = new HeadlessChromium();

	@Test
	void aFrenchVisitorClicksThePhotoThatFoolsTheModelThenAnApplicant(WebDriver browser) throws IOException {
		browser.get(uri("/demo?lang=fr").toString());
		String address = browser.getCurrentUrl();

		WebElement photo = answerOf(browser, "photo-cat-2029");
		assertThat(photo.findElement(By.className("demo-verdict")).getText()).matches("Chien \\d{2,3}(,\\d)? %");
		assertThat(photo.findElement(By.className("demo-wrong")).getText())
			.isEqualTo("Faux : la bonne réponse est Chat.");
		assertThat(photo.findElement(By.className("demo-timing")).getText()).startsWith("Réponse en");
		WebElement applicant = answerOf(browser, "applicant-saver");
		assertThat(applicant.findElement(By.className("demo-verdict")).getText()).isEqualTo("Crédit accordé");
		assertThat(applicant.findElements(By.cssSelector(".demo-reasons li"))).hasSize(3);

		assertThat(browser.getCurrentUrl()).as("the page was not left").isEqualTo(address);
		assertThat(photo.isDisplayed()).as("both answers stay on the page").isTrue();
		scrollTo(browser, "sample-photo-cat-2029");
		chromium.screenshot("demo-fr.png");
	}

	@Test
	void anEnglishVisitorClicksADogThenTheClearRefusal(WebDriver browser) throws IOException {
		browser.get(uri("/demo?lang=en").toString());
		String address = browser.getCurrentUrl();

		WebElement photo = answerOf(browser, "photo-dog-2096");
		assertThat(photo.findElement(By.className("demo-verdict")).getText()).matches("Dog \\d{2,3}(\\.\\d)? %");
		assertThat(photo.findElement(By.className("demo-right")).getText()).isEqualTo("Right.");
		WebElement applicant = answerOf(browser, "applicant-business");
		assertThat(applicant.findElement(By.className("demo-verdict")).getText()).isEqualTo("Credit refused");
		assertThat(applicant.findElement(By.className("demo-open")).getAttribute("href"))
			.matches(".*/credit/predictions/\\d+");

		assertThat(browser.getCurrentUrl()).isEqualTo(address);
		scrollTo(browser, "demo-applicants");
		chromium.screenshot("demo-en.png");
	}

	/**
	 * Clicks the sample's button and waits for the answer the script put in place (it
	 * marks it), not one rendered by a page load.
	 */
	private static WebElement answerOf(WebDriver browser, String sample) {
		WebElement button = browser.findElement(By.cssSelector("#sample-" + sample + " form.demo-run button"));
		// Bootstrap scrolls smoothly: a click while the page still moves misses its
		// target
		((JavascriptExecutor) browser)
			.executeScript("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", button);
		button.click();
		return new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions
			.visibilityOfElementLocated(By.cssSelector("#answer-" + sample + "[data-in-place=true] .demo-result")));
	}

	private static void scrollTo(WebDriver browser, String id) {
		((JavascriptExecutor) browser)
			.executeScript("document.getElementById(arguments[0]).scrollIntoView({behavior: 'instant'})", id);
	}

}
