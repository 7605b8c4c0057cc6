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
 * The image page's other ways in ({@code photo-form.js}), in a real browser with
 * Chromium's test camera ({@link HeadlessChromium#withFakeCamera()}): a chosen, dropped,
 * pasted or camera photo lands in the form's own file input, is previewed before it is
 * sent, and the normal form post sends it. Drops and pastes are dispatched as the browser
 * would, with a file made of a demo photo the server serves.
 */
class PhotoFormBrowserTests extends WebTestSupport {

	@RegisterExtension
	static final HeadlessChromium chromium = HeadlessChromium.withFakeCamera();

	/**
	 * Leaves a demo photo the server serves in {@code window.photo}, as a file named as
	 * asked, for a drop or a paste to hold.
	 */
	private static final String DEMO_PHOTO = """
			const [name, done] = arguments;
			fetch('/demo/photos/cat-2017.jpg').then(r => r.blob())
			  .then(blob => { window.photo = new File([blob], name, { type: 'image/jpeg' }); done(); });
			""";

	@Test
	void aChosenPhotoIsPreviewedWithItsNameAndSizeBeforeSending(WebDriver browser) throws IOException {
		open(browser, "en");
		assertThat(browser.findElement(By.id("drop-hint")).getText()).startsWith("You can also drop a photo here");
		assertThat(browser.findElement(By.id("camera-open")).getText()).isEqualTo("Use the camera");
		assertThat(browser.findElement(By.id("camera-take")).isDisplayed()).as("the phone's button, not a desktop's")
			.isFalse();

		browser.findElement(By.id("image")).sendKeys(PHOTOS.resolve("nasser0111_cat.jpg").toAbsolutePath().toString());

		assertThat(waitFor(browser, "preview-caption").getText())
			.matches("nasser0111_cat\\.jpg \\(\\d+(\\.\\d)? KB\\), not sent yet");
		assertThat(naturalWidthOfThePreview(browser)).as("the photo itself is drawn").isEqualTo(1200);
		assertThat(browser.findElements(By.id("answer"))).as("nothing sent yet").isEmpty();
		chromium.screenshot("photo-preview.png");
	}

	@Test
	void aDroppedPhotoIsSentAndAPastedNoteIsLeftOutInFrench(WebDriver browser) throws IOException {
		open(browser, "fr");
		script(browser).executeAsyncScript(DEMO_PHOTO, "chat-depose.jpg");
		script(browser).executeScript("""
				const transfer = new DataTransfer();
				transfer.items.add(window.photo);
				document.getElementById('image').dispatchEvent(new DragEvent('drop',
				  { dataTransfer: transfer, bubbles: true, cancelable: true }));
				""");
		assertThat(waitFor(browser, "preview-caption").getText())
			.matches("chat-depose\\.jpg \\(\\d+(,\\d)? Ko\\), pas encore envoyée");

		script(browser).executeScript("""
				const transfer = new DataTransfer();
				transfer.items.add(new File(['lait, œufs'], 'courses.txt', { type: 'text/plain' }));
				document.body.dispatchEvent(new ClipboardEvent('paste',
				  { clipboardData: transfer, bubbles: true, cancelable: true }));
				""");
		assertThat(waitFor(browser, "photo-message").getText())
			.isEqualTo("« courses.txt » n’est pas une image : le fichier a été laissé de côté. Choisissez une photo.");
		assertThat(script(browser).executeScript("return document.getElementById('image').files[0].name"))
			.as("the photo stays chosen")
			.isEqualTo("chat-depose.jpg");
		chromium.screenshot("photo-refused-fr.png");

		submit(browser);
		assertThat(answer(browser).getText()).matches("(Chat|Chien) \\d{2,3} %");
		assertThat(browser.findElement(By.cssSelector("#result .small")).getText()).startsWith("chat-depose.jpg");
	}

	@Test
	void aPastedPhotoIsSent(WebDriver browser) {
		open(browser, "en");
		script(browser).executeAsyncScript(DEMO_PHOTO, "pasted.jpg");
		script(browser).executeScript("""
				const transfer = new DataTransfer();
				transfer.items.add(window.photo);
				document.body.dispatchEvent(new ClipboardEvent('paste',
				  { clipboardData: transfer, bubbles: true, cancelable: true }));
				""");
		assertThat(waitFor(browser, "preview-caption").getText()).startsWith("pasted.jpg (");
		assertThat(naturalWidthOfThePreview(browser)).isPositive();

		submit(browser);
		assertThat(answer(browser).getText()).matches("(Cat|Dog) \\d{2,3} %");
	}

	@Test
	void theCameraTakesAPhotoThatIsPreviewedThenSent(WebDriver browser) throws IOException {
		open(browser, "en");
		browser.findElement(By.id("camera-open")).click();
		new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver -> script(driver)
			.executeScript("return document.getElementById('camera-video').videoWidth > 0"));
		assertThat(browser.findElement(By.id("camera-shoot")).getText()).isEqualTo("Take the photo");
		chromium.screenshot("photo-camera.png");

		browser.findElement(By.id("camera-shoot")).click();

		assertThat(waitFor(browser, "preview-caption").getText())
			.matches("camera-\\d{14}\\.jpg \\(.* KB\\), not sent yet");
		assertThat(naturalWidthOfThePreview(browser)).isPositive();
		assertThat(browser.findElement(By.id("camera-panel")).isDisplayed()).isFalse();
		assertThat(script(browser).executeScript("return document.getElementById('camera-video').srcObject"))
			.as("the camera is let go")
			.isNull();
		assertThat(browser.findElement(By.id("camera-open")).isDisplayed()).as("another photo can be taken").isTrue();

		submit(browser);
		assertThat(answer(browser).getText()).matches("(Cat|Dog) \\d{2,3} %");
		assertThat(browser.findElement(By.cssSelector("#result .small")).getText()).startsWith("camera-");
	}

	@Test
	void aCameraThatIsRefusedOrMissingIsSaidInFrench(WebDriver browser) {
		open(browser, "fr");
		refuseTheCamera(browser, "NotAllowedError");
		browser.findElement(By.id("camera-open")).click();
		assertThat(waitFor(browser, "photo-message").getText()).startsWith("La caméra ne peut pas être utilisée")
			.contains("l’autorisation a été refusée");

		refuseTheCamera(browser, "NotFoundError");
		browser.findElement(By.id("camera-open")).click();
		new WebDriverWait(browser, Duration.ofSeconds(5)).until(ExpectedConditions.textToBe(By.id("photo-message"),
				"Aucune caméra n’a été trouvée. Choisissez plutôt une photo."));
		assertThat(browser.findElement(By.id("camera-panel")).isDisplayed()).isFalse();
	}

	/**
	 * The submit handler sets its state at once; a listener after it keeps the page from
	 * leaving, so that the state can be read.
	 */
	@Test
	void theButtonWaitsWithASpinnerOnceThePhotoIsSentInFrench(WebDriver browser) throws IOException {
		open(browser, "fr");
		script(browser).executeScript("document.addEventListener('submit', e => e.preventDefault())");

		script(browser).executeScript("document.getElementById('upload-form').requestSubmit()");
		assertThat(browser.findElement(By.id("upload-submit")).isEnabled()).as("no photo, nothing sent").isTrue();

		browser.findElement(By.id("image")).sendKeys(PHOTOS.resolve("nasser0111_dog.jpg").toAbsolutePath().toString());
		script(browser).executeScript("document.getElementById('upload-form').requestSubmit()");

		assertThat(browser.findElement(By.id("upload-submit")).isEnabled()).isFalse();
		assertThat(browser.findElement(By.cssSelector("#upload-status .spinner-border")).isDisplayed()).isTrue();
		assertThat(browser.findElement(By.cssSelector("#upload-status [role=status]")).getText())
			.isEqualTo("Le modèle examine votre photo…");
		chromium.screenshot("photo-waiting-fr.png");
	}

	private void open(WebDriver browser, String language) {
		browser.get(uri("/image/" + TestModels.SHIPPED + "?lang=" + language).toString());
	}

	private static void refuseTheCamera(WebDriver browser, String error) {
		script(browser).executeScript(
				"navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('test', arguments[0]))",
				error);
	}

	private static void submit(WebDriver browser) {
		browser.findElement(By.id("upload-submit")).click();
	}

	private static WebElement answer(WebDriver browser) {
		return new WebDriverWait(browser, Duration.ofSeconds(20))
			.until(ExpectedConditions.visibilityOfElementLocated(By.id("answer")));
	}

	private static WebElement waitFor(WebDriver browser, String id) {
		return new WebDriverWait(browser, Duration.ofSeconds(10))
			.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
	}

	private static long naturalWidthOfThePreview(WebDriver browser) {
		WebElement preview = browser.findElement(By.id("preview-image"));
		new WebDriverWait(browser, Duration.ofSeconds(10))
			.until(driver -> script(driver).executeScript("return arguments[0].complete", preview));
		return ((Number) script(browser).executeScript("return arguments[0].naturalWidth", preview)).longValue();
	}

	private static JavascriptExecutor script(WebDriver browser) {
		return (JavascriptExecutor) browser;
	}

}
