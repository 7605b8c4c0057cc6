package org.mlpages.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
		browser.findElement(By.cssSelector("#tabular-form button[type=submit]"))
			.sendKeys(org.openqa.selenium.Keys.ENTER);

		WebElement decision = new WebDriverWait(browser, Duration.ofSeconds(20))
			.until(ExpectedConditions.visibilityOfElementLocated(By.id("decision")));
		assertThat(decision.getText()).isIn("Credit granted", "Credit refused");
		assertThat(browser.findElements(By.cssSelector("#explanation rect.chart-bar"))).hasSizeGreaterThanOrEqualTo(5)
			.anySatisfy(bar -> assertThat(bar.getSize().getWidth()).isPositive());
		chromium.screenshot("credit.png");
	}

	/**
	 * An app restart, as the server sees the next post: the page still carries the token
	 * it was shown with, and no session holds it. Deleting the browser's session cookie
	 * gives exactly that (the post arrives in no known session), without restarting the
	 * app the other tests share. A token that is not the session's (another tab logged
	 * in, a page from before) is simulated by changing the form's hidden field.
	 */
	@Test
	void aCreditFormSentAfterARestartComesBackFilledAndGoesThroughTheSecondTime(WebDriver browser) throws IOException {
		browser.get(uri("/credit?lang=en").toString());
		browser.findElement(By.cssSelector("a.example")).click();
		String filled = answersOnThePage(browser);
		assertThat(filled).contains("age=38");

		browser.manage().deleteCookieNamed("JSESSIONID");
		submitTheCreditForm(browser);

		WebElement stale = new WebDriverWait(browser, Duration.ofSeconds(20))
			.until(ExpectedConditions.visibilityOfElementLocated(By.id("stale")));
		assertThat(stale.getText()).startsWith("Your session had expired").contains("submit again");
		assertThat(answersOnThePage(browser)).as("every answer is still there").isEqualTo(filled);
		assertThat(browser.getCurrentUrl()).doesNotContainIgnoringCase("jsessionid");
		assertThat(browser.getPageSource()).doesNotContainIgnoringCase("jsessionid");
		chromium.screenshot("credit-stale.png");

		((JavascriptExecutor) browser)
			.executeScript("document.querySelector('#tabular-form input[name=_csrf]').value = 'a-token-from-before'");
		submitTheCreditForm(browser);
		// asked while the page is being replaced, ChromeDriver may answer that the node
		// "does not belong to the document" instead of calling it stale: asked again
		new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(org.openqa.selenium.WebDriverException.class)
			.until(ExpectedConditions.stalenessOf(stale));
		assertThat(browser.findElement(By.id("stale")).isDisplayed()).isTrue();
		assertThat(answersOnThePage(browser)).isEqualTo(filled);

		submitTheCreditForm(browser);
		WebElement decision = new WebDriverWait(browser, Duration.ofSeconds(20))
			.until(ExpectedConditions.visibilityOfElementLocated(By.id("decision")));
		assertThat(decision.getText()).isIn("Credit granted", "Credit refused");
	}

	/**
	 * From the keyboard: the button lies below the fold, where a click may land
	 * elsewhere.
	 */
	private static void submitTheCreditForm(WebDriver browser) {
		browser.findElement(By.cssSelector("#tabular-form button[type=submit]"))
			.sendKeys(org.openqa.selenium.Keys.ENTER);
	}

	private static String answersOnThePage(WebDriver browser) {
		return (String) ((JavascriptExecutor) browser).executeScript("return Array.from(document.querySelectorAll("
				+ "'#tabular-form select, #tabular-form input[type=number]')).map(f => f.name + '=' + f.value).join('&')");
	}

}
