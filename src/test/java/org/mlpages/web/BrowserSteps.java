package org.mlpages.web;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** What a person does again and again in the browser tests, done the same way in each. */
final class BrowserSteps {

	private BrowserSteps() {
	}

	/** Picks a photo on an image page already open, sends it and waits for the answer. */
	static void sendPhoto(WebDriver browser, Path photo) {
		browser.findElement(By.id("image")).sendKeys(photo.toAbsolutePath().toString());
		browser.findElement(By.cssSelector("#upload-form button[type=submit]")).sendKeys(Keys.ENTER);
		waitFor(browser, By.id("answer"));
	}

	/**
	 * Opens the credit form (an example fills it), submits it from the keyboard, as many
	 * people submit a long form, and waits for the decision.
	 */
	static void askForCredit(WebDriver browser, URI form) {
		browser.get(form.toString());
		browser.findElement(By.cssSelector("#tabular-form button[type=submit]")).sendKeys(Keys.ENTER);
		waitFor(browser, By.id("decision"));
	}

	/** Logs in with the test admin account, unless this browser already is. */
	static void logInAsAdmin(WebDriver browser, URI login) {
		browser.get(login.toString());
		if (!browser.findElements(By.cssSelector("#account form")).isEmpty()) {
			return;
		}
		browser.findElement(By.id("username")).sendKeys("admin");
		browser.findElement(By.id("password")).sendKeys(WebTestSupport.ADMIN_PASSWORD);
		browser.findElement(By.cssSelector("form button[type=submit]")).sendKeys(Keys.ENTER);
		// the login's redirect must land before the next page is asked for, or it
		// replaces that page (seen
		// under a loaded machine: the French run read the English history it was
		// redirected to)
		waitFor(browser, By.cssSelector("#account form"));
	}

	static void waitFor(WebDriver browser, By element) {
		new WebDriverWait(browser, Duration.ofSeconds(20))
			.until(ExpectedConditions.visibilityOfElementLocated(element));
	}

}
