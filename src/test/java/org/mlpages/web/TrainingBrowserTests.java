package org.mlpages.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The administrator's whole training flow in a real browser: the page's script sends the
 * zip, the run page follows the training by itself until the report shows, and publishing
 * opens the new model's page.
 */
class TrainingBrowserTests extends TrainingTestSupport {

	@RegisterExtension
	static final HeadlessChromium chromium = new HeadlessChromium();

	@Test
	void adminUploadsAZipWatchesTheRunAndPublishesTheModel(WebDriver browser) throws IOException {
		Path zip = Files.createDirectories(Path.of("target/training-browser")).resolve("pets.zip");
		Files.write(zip, zipOf(classFolders()));

		browser.get(uri("/login?lang=en").toString());
		browser.findElement(By.id("username")).sendKeys("admin");
		browser.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD);
		browser.findElement(By.cssSelector("main button[type=submit]")).click();

		browser.get(uri("/training").toString());
		browser.findElement(By.id("name")).sendKeys("browser_pets");
		browser.findElement(By.id("titleEn")).sendKeys("Pets from the browser");
		new Select(browser.findElement(By.id("baseModel"))).selectByValue("cat_dog_model");
		browser.findElement(By.id("archive")).sendKeys(zip.toAbsolutePath().toString());
		browser.findElement(By.id("train-submit")).click();

		// the script lands on the run's page, which polls and reloads itself when the run
		// ends
		WebDriverWait wait = new WebDriverWait(browser, Duration.ofMinutes(3));
		wait.until(ExpectedConditions.urlMatches("/training/[0-9a-f-]{36}$"));
		assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Training browser_pets");
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("accuracy")));
		assertThat(browser.findElement(By.id("accuracy")).getText()).startsWith("Validation accuracy:");
		assertThat(browser.findElement(By.id("progress-summary")).getText()).startsWith("Done");
		chromium.screenshot("training.png");

		browser.findElement(By.cssSelector("#publish-form button")).click();
		wait.until(ExpectedConditions.urlMatches("/image/browser_pets$"));
		assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Pets from the browser");
		assertThat(browser.findElements(By.cssSelector("#menu a")))
			.anySatisfy(link -> assertThat(link.getText()).isEqualTo("Pets from the browser"));
	}

}
