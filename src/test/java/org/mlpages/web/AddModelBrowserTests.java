package org.mlpages.web;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Add a model" in a real browser, in each language: upload a Keras 3 file with one
 * sigmoid output, read what the importer found, name the labels, try a photo, publish,
 * get an answer on the new page, then retire the model.
 */
class AddModelBrowserTests extends TrainingTestSupport {

	@RegisterExtension
	static final HeadlessChromium chromium = new HeadlessChromium();

	private static final Path MODEL = Path.of("src/test/resources/keras/generated-keras3/cats_vs_dogs_sigmoid.keras");

	@ParameterizedTest
	@ValueSource(strings = { "en", "fr" })
	void fromUploadToAnAnswerThenRetired(String language, WebDriver browser) throws java.io.IOException {
		boolean fr = language.equals("fr");
		String name = "browser_sigmoid_" + language;
		BrowserSteps.logInAsAdmin(browser, uri("/login?lang=" + language));
		browser.get(uri("/admin/models/new?lang=" + language).toString());
		assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo(fr ? "Ajouter un modèle" : "Add a model");
		// a photo is no model: the script shows the server's refusal, the page stays
		browser.findElement(By.id("model-file"))
			.sendKeys(WebTestSupport.PHOTOS.resolve("nasser0111_dog.jpg").toAbsolutePath().toString());
		browser.findElement(By.id("upload-submit")).sendKeys(Keys.ENTER);
		WebDriverWait wait = new WebDriverWait(browser, Duration.ofMinutes(1));
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("upload-error")));
		assertThat(browser.findElement(By.id("upload-error")).getText())
			.startsWith(fr ? "Ce fichier ne peut pas être servi" : "This file cannot be served")
			.contains("nasser0111_dog.jpg");
		assertThat(browser.findElement(By.id("upload-submit")).isEnabled()).isTrue();

		// over the 10 MB a form may post: the script sends it as the body
		Path large = PaddedKerasArchive.write(MODEL, 12 * 1024 * 1024,
				Path.of("target/test-data/uploads/pets-" + language + ".keras"));
		WebElement file = browser.findElement(By.id("model-file"));
		file.clear();
		file.sendKeys(large.toAbsolutePath().toString());
		browser.findElement(By.id("upload-submit")).sendKeys(Keys.ENTER);
		wait.until(ExpectedConditions.urlMatches("/admin/models/drafts/[0-9a-f-]{36}$"));
		assertThat(browser.findElement(By.id("read-file")).getText()).isEqualTo("pets-" + language + ".keras");
		assertThat(browser.findElement(By.id("read-format")).getText())
			.isEqualTo("Keras 3 archive (.keras), Keras 3.8.0");
		assertThat(browser.findElement(By.id("read-output")).getText())
			.isEqualTo(fr ? "1 valeur(s), dernière activation sigmoid" : "1 value(s), last activation sigmoid");
		assertThat(browser.findElements(By.cssSelector("#labels tbody tr"))).hasSize(2);

		type(browser.findElement(By.id("name")), name);
		type(browser.findElement(By.id("titleEn")), "Cat or dog, one unit");
		type(browser.findElement(By.id("titleFr")), "Chat ou chien, une unité");
		String[][] labels = { { "Cat", "Cat", "Chat" }, { "Dog", "Dog", "Chien" } };
		for (int i = 0; i < 2; i++) {
			type(browser.findElement(By.name("labelIds[" + i + "]")), labels[i][0]);
			type(browser.findElement(By.name("labelsEn[" + i + "]")), labels[i][1]);
			type(browser.findElement(By.name("labelsFr[" + i + "]")), labels[i][2]);
		}
		// as a reader of the language writes a decimal number
		type(browser.findElement(By.id("scale")), fr ? "0,007843138" : "0.007843138");
		type(browser.findElement(By.id("offset")), "-1");
		browser.findElement(By.id("photo"))
			.sendKeys(WebTestSupport.PHOTOS.resolve("nasser0111_dog.jpg").toAbsolutePath().toString());
		browser.findElement(By.id("try-submit")).sendKeys(Keys.ENTER);
		BrowserSteps.waitFor(browser, By.id("scores"));
		assertThat(browser.findElements(By.cssSelector("#scores tr"))).hasSize(2)
			.allSatisfy(
					row -> assertThat(row.getText()).matches(fr ? "(Cat|Dog) \\d+,\\d %" : "(Cat|Dog) \\d+\\.\\d %"));
		chromium.screenshot(language + "-add-model-draft.png");

		browser.findElement(By.id("publish-submit")).sendKeys(Keys.ENTER);
		wait.until(ExpectedConditions.urlMatches("/image/" + name + "$"));
		assertThat(browser.findElement(By.tagName("h1")).getText())
			.isEqualTo(fr ? "Chat ou chien, une unité" : "Cat or dog, one unit");
		BrowserSteps.sendPhoto(browser, WebTestSupport.PHOTOS.resolve("nasser0111_dog.jpg"));
		assertThat(browser.findElement(By.id("answer")).getText()).contains(fr ? "Chien" : "Dog");
		chromium.screenshot(language + "-add-model-answer.png");

		browser.get(uri("/admin/models/new?lang=" + language).toString());
		browser.findElement(By.id("retire-" + name)).sendKeys(Keys.ENTER);
		BrowserSteps.waitFor(browser, By.id("retired"));
		assertThat(browser.findElement(By.id("retired")).getText()).contains(name);
		assertThat(browser.findElements(By.cssSelector("#menu a")))
			.noneSatisfy(link -> assertThat(link.getText()).contains("one unit"));
	}

	private static void type(WebElement field, String text) {
		field.clear();
		field.sendKeys(text);
	}

}
