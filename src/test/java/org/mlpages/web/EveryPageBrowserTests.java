package org.mlpages.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page, as the admin sees it, in English and in French, in the real browser: each
 * page reads in one language only. The message bundles' own test cannot see text that
 * never went through a bundle (a model card's summary, an answer logged in English); this
 * one reads what is drawn, and fails on a word only the other language's bundle uses.
 * Data shown as it is stored (file names, hashes, Tribuo's settings) is marked
 * {@code translate="no"}, as HTML says, and not read. Each page is kept as a screenshot.
 */
class EveryPageBrowserTests extends WebTestSupport {

	@RegisterExtension
	static final HeadlessChromium chromium = new HeadlessChromium();

	/**
	 * Text of the page, and of the attributes a person meets, without what must not be
	 * translated.
	 */
	private static final String VISIBLE_TEXT = """
			const copy = document.body.cloneNode(true);
			copy.querySelectorAll('[translate=no], script, style, .visually-hidden caption').forEach(e => e.remove());
			const attributes = Array.from(copy.querySelectorAll('[title], [alt], [placeholder], [aria-label]'))
			  .flatMap(e => ['title', 'alt', 'placeholder', 'aria-label'].map(a => e.getAttribute(a) || ''));
			const titles = Array.from(copy.querySelectorAll('svg title')).map(t => t.textContent);
			return [copy.innerText || copy.textContent, document.title].concat(attributes, titles).join(' ');
			""";

	@ParameterizedTest
	@ValueSource(strings = { "en", "fr" })
	void everyPageReadsInOneLanguage(String language, WebDriver browser) throws IOException {
		Set<String> otherLanguagesWords = wordsOnlyIn(
				language.equals("fr") ? "messages/messages.properties" : "messages/messages_fr.properties",
				language.equals("fr") ? "messages/messages_fr.properties" : "messages/messages.properties");
		// a model's answers as its descriptor and the credit feature name them
		otherLanguagesWords.addAll(language.equals("fr") ? List.of("cat", "dog", "granted", "refused")
				: List.of("chat", "chien", "accordé", "refusé"));
		// names, the same in both languages
		otherLanguagesWords.removeAll(List.of("teachable", "machine", "mlpages"));
		BrowserSteps.logInAsAdmin(browser, uri("/login"));
		List<String> problems = new ArrayList<>();

		for (String page : new String[] { "/demo", "/about", "/image/" + TestModels.RETRAINED, "/credit?example=1",
				"/tabular/" + TestModels.TABULAR + "?example=1", "/history", "/training", "/admin/models/new", "/login",
				"/image/no_such_model" }) {
			browser.get(uri(page + (page.contains("?") ? "&" : "?") + "lang=" + language).toString());
			problems.addAll(read(browser, page, otherLanguagesWords));
			chromium.screenshot(language + "-" + name(page) + ".png");
		}

		browser.get(uri("/demo?lang=" + language).toString());
		for (String sample : new String[] { "photo", "applicant" }) {
			browser.findElement(By.cssSelector("[id^=sample-" + sample + "-] form.demo-run button"))
				.sendKeys(Keys.ENTER);
			BrowserSteps.waitFor(browser, By.cssSelector("[id^=answer-" + sample + "-] .demo-result"));
		}
		problems.addAll(read(browser, "the demo's answers", otherLanguagesWords));
		chromium.screenshot(language + "-demo-answers.png");

		browser.get(uri("/image/" + TestModels.RETRAINED + "?lang=" + language).toString());
		BrowserSteps.sendPhoto(browser, PHOTOS.resolve("nasser0111_dog.jpg"));
		problems.addAll(read(browser, "a photo's answer", otherLanguagesWords));
		chromium.screenshot(language + "-image-result.png");
		browser.findElement(By.id("look")).sendKeys(Keys.ENTER);
		new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(30))
			.until(driver -> driver.findElement(By.id("heat-map")).isDisplayed());
		problems.addAll(read(browser, "where the model looked", otherLanguagesWords));
		chromium.screenshot(language + "-image-result-map.png");

		BrowserSteps.askForCredit(browser, uri("/credit?example=2&lang=" + language));
		problems.addAll(read(browser, "a credit decision", otherLanguagesWords));
		chromium.screenshot(language + "-credit-result.png");

		browser.get(uri("/tabular/" + TestModels.TABULAR + "?example=1&lang=" + language).toString());
		browser.findElement(By.cssSelector("#tabular-form button[type=submit]")).sendKeys(Keys.ENTER);
		BrowserSteps.waitFor(browser, By.id("decision"));
		problems.addAll(read(browser, "a tabular model's decision", otherLanguagesWords));
		chromium.screenshot(language + "-tabular-result.png");

		browser.get(uri("/credit/batches?lang=" + language).toString());
		problems.addAll(read(browser, "the credit model's file of cases", otherLanguagesWords));
		chromium.screenshot(language + "-credit-batches.png");
		browser.get(uri(finishedBatch() + "?lang=" + language).toString());
		problems.addAll(read(browser, "a file of cases scored", otherLanguagesWords));
		chromium.screenshot(language + "-credit-batch.png");

		browser.get(uri("/image/" + TestModels.RETRAINED + "/batches?lang=" + language).toString());
		problems.addAll(read(browser, "the image model's many photos", otherLanguagesWords));
		chromium.screenshot(language + "-image-batches.png");
		browser.get(uri(finishedPhotoBatch() + "?lang=" + language).toString());
		problems.addAll(read(browser, "photos classified at once", otherLanguagesWords));
		chromium.screenshot(language + "-image-batch.png");

		browser.get(uri("/history?lang=" + language).toString());
		problems.addAll(read(browser, "the history with rows", otherLanguagesWords));
		chromium.screenshot(language + "-history.png");

		assertThat(problems).as("words of the other language on the %s pages", language).isEmpty();
	}

	/**
	 * The page of a batch of two applications, one refused, once it is finished.
	 */
	private String finishedBatch() throws IOException {
		Map<String, String> applicant = new tools.jackson.databind.json.JsonMapper().readValue(
				Files.readString(Path.of("src/test/resources/credit/applicant.json")),
				new tools.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, String>>() {
				});
		String header = String.join(",", applicant.keySet());
		String row = String.join(",", applicant.values().stream().map(v -> "\"" + v + "\"").toList());
		java.net.http.HttpResponse<String> accepted = send(
				java.net.http.HttpRequest.newBuilder(uri("/api/v1/models/credit/batches"))
					.header("Content-Type", "text/csv")
					.POST(java.net.http.HttpRequest.BodyPublishers
						.ofString(header + "\n" + row + "\n" + row.replace("\"67\"", "\"12\"") + "\n")));
		return "/credit/batches/" + finished(accepted.headers().firstValue("Location").orElseThrow());
	}

	/** The page of two photos and a text file sent at once, once it is finished. */
	private String finishedPhotoBatch() {
		java.net.http.HttpResponse<String> accepted = send(
				java.net.http.HttpRequest.newBuilder(uri("/api/v1/models/" + TestModels.RETRAINED + "/batches"))
					.header("Content-Type", "application/zip")
					.POST(java.net.http.HttpRequest.BodyPublishers
						.ofByteArray(zipOf(Map.of("cat.jpg", photo("nasser0111_cat.jpg"), "dog.jpg",
								photo("nasser0111_dog.jpg"), "notes.txt", new byte[] { 1 })))));
		return "/image/" + TestModels.RETRAINED + "/batches/"
				+ finished(accepted.headers().firstValue("Location").orElseThrow());
	}

	/** The batch's id, once it is done. */
	private String finished(String location) {
		for (int i = 0; i < 300 && !get(location, "en").body().contains("\"state\":\"done\""); i++) {
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return location.substring(location.lastIndexOf('/') + 1);
	}

	private static List<String> read(WebDriver browser, String page, Set<String> otherLanguagesWords) {
		// file names and identifiers (model names, form fields) are data, whatever the
		// language
		String text = ((String) ((JavascriptExecutor) browser).executeScript(VISIBLE_TEXT))
			.replaceAll("\\S+\\.(jpe?g|png|gif|webp|h5|keras|yml|csv|model|json|onnx|pkl)\\b", " ")
			.replaceAll("\\S*_\\S*", " ");
		Set<String> found = Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+"))
			.filter(otherLanguagesWords::contains)
			.collect(Collectors.toCollection(TreeSet::new));
		if (text.contains("??")) {
			// Spring's mark of a message key no bundle has
			found.add("a missing message: "
					+ text.substring(text.indexOf("??"), Math.min(text.length(), text.indexOf("??") + 60)));
		}
		return found.isEmpty() ? List.of() : List.of(page + ": " + found);
	}

	/**
	 * Words of four letters or more that one bundle uses and the other never does; the
	 * credit model's descriptor counts as part of each language's bundle, as its words
	 * are on the pages too.
	 */
	private static Set<String> wordsOnlyIn(String bundle, String otherBundle) throws IOException {
		Map<String, String> descriptor = creditDescriptorWords();
		String suffix = bundle.endsWith("_fr.properties") ? "fr" : "en";
		String otherSuffix = suffix.equals("fr") ? "en" : "fr";
		Set<String> words = words(String.join(" ", load(bundle)) + " " + descriptor.get(suffix));
		words.removeAll(words(String.join(" ", load(otherBundle)) + " " + descriptor.get(otherSuffix)));
		return words;
	}

	/**
	 * The text of models/credit.yml by language: the values of its keys ending in en or
	 * fr.
	 */
	private static Map<String, String> creditDescriptorWords() throws IOException {
		Map<String, StringBuilder> text = Map.of("en", new StringBuilder(), "fr", new StringBuilder());
		collect(new org.yaml.snakeyaml.Yaml().load(Files.readString(Path.of("models/credit.yml"))), null, text);
		return Map.of("en", text.get("en").toString(), "fr", text.get("fr").toString());
	}

	private static void collect(Object node, String key, Map<String, StringBuilder> text) {
		if (node instanceof Map<?, ?> map) {
			map.forEach((k, v) -> collect(v, String.valueOf(k), text));
		}
		else if (node instanceof List<?> list) {
			list.forEach(item -> collect(item, key, text));
		}
		else if (key != null && (key.equals("en") || key.endsWith("-en") || key.equals("fr") || key.endsWith("-fr"))) {
			text.get(key.endsWith("fr") ? "fr" : "en").append(' ').append(node);
		}
	}

	private static Set<String> words(String text) {
		return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+"))
			.filter(word -> word.length() >= 4)
			.collect(Collectors.toCollection(HashSet::new));
	}

	private static List<String> load(String bundle) throws IOException {
		Properties properties = new Properties();
		try (InputStream in = EveryPageBrowserTests.class.getClassLoader().getResourceAsStream(bundle);
				Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
			properties.load(reader);
		}
		return properties.values().stream().map(Object::toString).toList();
	}

	private static String name(String page) {
		String name = page.replaceAll("\\?.*", "").replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
		return name.isEmpty() ? "home" : name;
	}

}
