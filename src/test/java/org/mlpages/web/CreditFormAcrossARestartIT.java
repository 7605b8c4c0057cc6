package org.mlpages.web;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mlpages.jar.PackagedApp;
import org.mlpages.jar.UnitStart;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person fills the credit form, the operator restarts the app (the packaged jar, a new
 * JVM: every session is gone), the person submits: the form comes back with every answer
 * and a line saying to send it again, and sending it again decides. Run against the jar,
 * since only a real restart forgets what the server held.
 */
class CreditFormAcrossARestartIT {

	@RegisterExtension
	static final HeadlessChromium chromium = new HeadlessChromium();

	@Test
	void theAnswersSurviveARestartBetweenFillingAndSubmitting(WebDriver browser) throws Exception {
		Path dir = PackagedApp.workDir();
		int port = PackagedApp.freePort();
		UnitStart unit = UnitStart.prepared();
		String filled;
		try (PackagedApp app = unit.start(dir, port)) {
			browser.get(app.uri("/credit?example=1&lang=fr").toString());
			WebElement age = browser.findElement(By.id("age"));
			age.clear();
			age.sendKeys("44");
			filled = answersOnThePage(browser);
			assertThat(filled).contains("age=44");
		}

		try (PackagedApp restarted = unit.start(dir, port)) {
			submit(browser);
			BrowserSteps.waitFor(browser, By.id("stale"));

			assertThat(browser.findElement(By.id("stale")).getText()).contains("session");
			assertThat(answersOnThePage(browser)).as("every answer, the one typed too").isEqualTo(filled);
			chromium.screenshot("credit-after-restart-fr.png");

			submit(browser);
			BrowserSteps.waitFor(browser, By.id("decision"));
			assertThat(browser.findElement(By.id("decision")).getText()).isIn("Crédit accordé", "Crédit refusé");
			assertThat(restarted.log()).contains("POST /credit not processed").doesNotContain("Exception");
		}
	}

	private static void submit(WebDriver browser) {
		browser.findElement(By.cssSelector("#tabular-form button[type=submit]")).sendKeys(Keys.ENTER);
	}

	private static String answersOnThePage(WebDriver browser) {
		return (String) ((JavascriptExecutor) browser).executeScript("return Array.from(document.querySelectorAll("
				+ "'#tabular-form select, #tabular-form input[type=number]')).map(f => f.name + '=' + f.value).join('&')");
	}

}
