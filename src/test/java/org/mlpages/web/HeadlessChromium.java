package org.mlpages.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's headless Chromium, driven by its own chromedriver. Tests using it run where
 * {@code chromium} and {@code chromium-driver} are installed (CI installs them and sets
 * MLPAGES_REQUIRE_BROWSER, so there a missing browser fails instead of skipping).
 */
final class HeadlessChromium {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private HeadlessChromium() {
	}

	static WebDriver start() throws IOException {
		boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
		if (System.getenv("MLPAGES_REQUIRE_BROWSER") != null) {
			assertThat(installed).as("chromium and chromium-driver must be installed").isTrue();
		}
		assumeTrue(installed, "Debian's chromium and chromium-driver are not installed");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--window-size=1200,900", "--lang=en-US",
				"--user-data-dir=" + Files.createTempDirectory("mlpages-chromium"));
		// an explicit driver keeps Selenium Manager from trying to download one
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.build();
		return new ChromeDriver(service, options);
	}

	static void screenshot(WebDriver browser, String name) throws IOException {
		Path dir = Files.createDirectories(Path.of("target/screenshots"));
		Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
		Files.copy(shot, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
	}

}
