package org.mlpages.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's headless Chromium, driven by its own chromedriver, as a JUnit extension: one
 * browser per test class, handed to each test method that takes a {@link WebDriver}.
 * Tests using it run where {@code chromium} and {@code chromium-driver} are installed (CI
 * installs them and sets MLPAGES_REQUIRE_BROWSER, so there a missing browser fails
 * instead of skipping).
 */
final class HeadlessChromium implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private final boolean fakeCamera;

	private WebDriver browser;

	HeadlessChromium() {
		this(false);
	}

	private HeadlessChromium(boolean fakeCamera) {
		this.fakeCamera = fakeCamera;
	}

	/**
	 * A browser with Chromium's test camera (a moving test pattern), which pages may use
	 * without asking.
	 */
	static HeadlessChromium withFakeCamera() {
		return new HeadlessChromium(true);
	}

	@Override
	public void beforeAll(ExtensionContext context) throws IOException {
		this.browser = start(this.fakeCamera);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == WebDriver.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		return this.browser;
	}

	/** Keeps what the browser shows under {@code target/screenshots}. */
	void screenshot(String name) throws IOException {
		Path dir = Files.createDirectories(Path.of("target/screenshots"));
		// the whole page, not only the window: the window grows to the page's height for
		// the shot
		Dimension window = this.browser.manage().window().getSize();
		long height = ((Number) ((JavascriptExecutor) this.browser)
			.executeScript("return document.documentElement.scrollHeight")).longValue();
		this.browser.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(height + 140, 6000)));
		try {
			Path shot = ((TakesScreenshot) this.browser).getScreenshotAs(OutputType.FILE).toPath();
			Files.copy(shot, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			this.browser.manage().window().setSize(window);
		}
	}

	private static WebDriver start(boolean fakeCamera) throws IOException {
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
		if (fakeCamera) {
			options.addArguments("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream");
		}
		// an explicit driver keeps Selenium Manager from trying to download one
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.build();
		return new ChromeDriver(service, options);
	}

}
