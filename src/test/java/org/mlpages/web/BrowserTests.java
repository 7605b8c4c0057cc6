package org.mlpages.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a person sees, in a real browser ({@link HeadlessChromium}): picks a photo or
 * fills the credit form, submits it and reads the answer.
 */
class BrowserTests extends WebTestSupport {

	@RegisterExtension
	static final HeadlessChromium chromium = new HeadlessChromium();

	@Test
	void aPersonUploadsACatPhotoAndReadsTheAnswer(WebDriver browser) throws IOException {
		browser.get(uri("/image/" + TestModels.SHIPPED + "?lang=en").toString());

		browser.findElement(By.id("image")).sendKeys(PHOTOS.resolve("nasser0111_cat.jpg").toAbsolutePath().toString());
		browser.findElement(By.cssSelector("#upload-form button[type=submit]")).click();

		WebElement answer = new WebDriverWait(browser, Duration.ofSeconds(20))
			.until(ExpectedConditions.visibilityOfElementLocated(By.id("answer")));
		assertThat(answer.getText()).matches("Cat \\d{2,3} %");
		WebElement photo = browser.findElement(By.cssSelector("#result img"));
		assertThat(((Number) ((org.openqa.selenium.JavascriptExecutor) browser)
			.executeScript("return arguments[0].naturalWidth", photo)).intValue()).as("the photo is shown back")
			.isEqualTo(1200);
		assertThat(browser.findElements(By.cssSelector("#probabilities .progress"))).hasSize(2)
			.allSatisfy(bar -> assertThat(bar.isDisplayed()).isTrue());
		assertThat(browser.findElement(By.cssSelector("#probabilities .progress-bar.bg-success")).getSize().getWidth())
			.as("the winning class's bar fills most of its track")
			.isGreaterThan(browser.findElement(By.cssSelector("#probabilities .progress")).getSize().getWidth() / 2);
		chromium.screenshot("classification.png");
	}

	@Test
	void aPersonWhoSendsSomethingElseReadsWhyInFrench(WebDriver browser) throws IOException {
		browser.get(uri("/image/" + TestModels.REFERENCE + "?lang=fr").toString());
		Path text = Files.createTempFile("notes", ".jpg");
		Files.writeString(text, "shopping list: milk, eggs");

		browser.findElement(By.id("image")).sendKeys(text.toAbsolutePath().toString());
		browser.findElement(By.cssSelector("#upload-form button[type=submit]")).click();

		WebElement error = new WebDriverWait(browser, Duration.ofSeconds(20))
			.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
		assertThat(error.getText()).contains("n’est pas une image");
		chromium.screenshot("rejected.png");
	}

	@Test
	void aPersonFillsTheCreditFormWithAnExampleAndSeesWhatWeighed(WebDriver browser) throws IOException {
		browser.get(uri("/credit?lang=en").toString());

		browser.findElement(By.cssSelector("a.example")).click();
		// from the keyboard, as many people submit a long form
		browser.findElement(By.cssSelector("#credit-form button[type=submit]"))
			.sendKeys(org.openqa.selenium.Keys.ENTER);

		WebElement decision = new WebDriverWait(browser, Duration.ofSeconds(20))
			.until(ExpectedConditions.visibilityOfElementLocated(By.id("decision")));
		assertThat(decision.getText()).isIn("Credit granted", "Credit refused");
		assertThat(browser.findElements(By.cssSelector("#explanation rect.chart-bar"))).hasSizeGreaterThanOrEqualTo(5)
			.anySatisfy(bar -> assertThat(bar.getSize().getWidth()).isPositive());
		chromium.screenshot("credit.png");
	}

}
