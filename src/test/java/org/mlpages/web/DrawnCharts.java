package org.mlpages.web;

import java.text.NumberFormat;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Checks what a page draws against the numbers it shows, as a person comparing a bar with
 * its label would: read the numbers in the page's language, measure the bars the browser
 * laid out.
 */
final class DrawnCharts {

	/** How far, in percent of a track, a drawn length may be from its value. */
	private static final double TOLERANCE = 1.5;

	private static final Pattern NUMBER = Pattern.compile("[-+−]?\\d[\\d\\s\\u00a0\\u202f]*(?:[.,]\\d+)*");

	private DrawnCharts() {
	}

	/**
	 * A number as a person reads it in that language: "1 234,5 ms", "1,980.7 ms",
	 * "+0,50", "85.4 %".
	 */
	static double read(String text, Locale locale) {
		Matcher matcher = NUMBER.matcher(text);
		assertThat(matcher.find()).as("a number in '%s'", text).isTrue();
		String number = matcher.group().replace("−", "-").replace("+", "");
		boolean negative = number.startsWith("-");
		try {
			double value = NumberFormat.getNumberInstance(locale)
				.parse(number.replace("-", "").replaceAll("[\\s\\u00a0\\u202f]", ""))
				.doubleValue();
			return negative ? -value : value;
		}
		catch (ParseException ex) {
			throw new AssertionError("not a number in " + locale + ": " + text, ex);
		}
	}

	/**
	 * Every SVG chart of the page: each bar's drawn length and place on its track match
	 * its value on the chart's axis (read from the tick labels), its hover text and the
	 * text alternative show the same value, and a stacked row's bars add up to the total
	 * it shows.
	 */
	static int assertChartsMatchTheirNumbers(WebDriver browser, Locale locale) {
		int bars = 0;
		for (WebElement chart : browser.findElements(By.cssSelector("figure.chart"))) {
			List<WebElement> ticks = chart.findElements(By.cssSelector(".chart-ticks text"));
			assertThat(ticks).as("an axis with ticks").hasSizeGreaterThanOrEqualTo(2);
			double axisMin = read(text(browser, ticks.get(0)), locale);
			double axisMax = read(text(browser, ticks.get(ticks.size() - 1)), locale);
			assertThat(axisMax).isGreaterThan(axisMin);
			List<WebElement> alternative = chart.findElements(By.cssSelector("table tbody tr"));
			List<WebElement> rows = chart.findElements(By.cssSelector(".chart-drawing .chart-row:not(.chart-axis)"));
			assertThat(alternative).as("the text alternative has a line per row").hasSameSizeAs(rows);
			for (int r = 0; r < rows.size(); r++) {
				WebElement row = rows.get(r);
				Map<?, ?> track = box(browser, row.findElement(By.cssSelector("svg.chart-track")));
				double trackLeft = number(track.get("left"));
				double trackWidth = number(track.get("width"));
				List<WebElement> cells = alternative.get(r).findElements(By.tagName("td"));
				double sum = 0;
				for (WebElement bar : row.findElements(By.cssSelector("rect.chart-bar"))) {
					double value = Double.parseDouble(bar.getDomAttribute("data-value"));
					int series = Integer.parseInt(bar.getDomAttribute("data-series"));
					Map<?, ?> drawn = box(browser, bar);
					assertThat(number(drawn.get("top"))).as("bar of %s inside its row's track", value)
						.isGreaterThanOrEqualTo(number(track.get("top")) - 0.5);
					assertThat(number(drawn.get("top")) + number(drawn.get("height")))
						.as("bar of %s inside its row's track", value)
						.isLessThanOrEqualTo(number(track.get("top")) + number(track.get("height")) + 0.5);
					double widthPercent = 100 * number(drawn.get("width")) / trackWidth;
					assertThat(widthPercent).as("bar of %s in row '%s'", value, row.getText())
						.isCloseTo(100 * Math.abs(value) / (axisMax - axisMin), within(TOLERANCE));
					if (value < 0) {
						double rightPercent = 100 * (number(drawn.get("left")) + number(drawn.get("width")) - trackLeft)
								/ trackWidth;
						assertThat(rightPercent).as("a negative bar ends at zero")
							.isCloseTo(100 * -axisMin / (axisMax - axisMin), within(TOLERANCE));
					}
					String hover = bar.findElement(By.tagName("title")).getAttribute("textContent");
					String hoverValue = hover.substring(hover.lastIndexOf(':') + 1);
					assertThat(read(hoverValue, locale)).as("hover text %s", hover)
						.isCloseTo(value, within(precision(hoverValue)));
					String cell = text(browser, cells.get(series));
					assertThat(read(cell, locale)).as("the text alternative").isCloseTo(value, within(precision(cell)));
					sum += value;
					bars++;
				}
				String total = row.findElement(By.cssSelector(".chart-value")).getText();
				if (!total.isBlank()) {
					assertThat(sum).as("the row's parts add up to the total it shows")
						.isCloseTo(read(total, locale), within(0.01));
				}
			}
		}
		return bars;
	}

	/**
	 * Every Bootstrap progress bar of the page fills the share of its track that its
	 * value says.
	 */
	static int assertProgressBarsMatchTheirValues(WebDriver browser) {
		List<WebElement> tracks = browser.findElements(By.cssSelector(".progress[aria-valuenow]"));
		for (WebElement track : tracks) {
			double value = Double.parseDouble(track.getDomAttribute("aria-valuenow"));
			double drawn = 100.0 * number(box(browser, track.findElement(By.cssSelector(".progress-bar"))).get("width"))
					/ number(box(browser, track).get("width"));
			assertThat(drawn).as("a bar for %s %%", value).isCloseTo(value, within(TOLERANCE));
		}
		return tracks.size();
	}

	/** No inline style of the page holds a number with a decimal comma. */
	static void assertNoLocaleNumbersInStyles(WebDriver browser) {
		Object styles = ((JavascriptExecutor) browser)
			.executeScript("return Array.from(document.querySelectorAll('[style]')).map(e => e.getAttribute('style'))");
		assertThat((List<?>) styles).allSatisfy(style -> assertThat(style.toString()).doesNotContainPattern("\\d,\\d"));
	}

	/** Half the last digit shown: "12,3 ms" is any value from 12.25 to 12.35. */
	private static double precision(String shown) {
		Matcher matcher = NUMBER.matcher(shown);
		matcher.find();
		String number = matcher.group();
		int separator = Math.max(number.lastIndexOf(','), number.lastIndexOf('.'));
		int decimals = separator < 0 ? 0 : number.length() - separator - 1;
		return 0.5 * Math.pow(10, -decimals) + 1e-9;
	}

	private static String text(WebDriver browser, WebElement element) {
		return element.getAttribute("textContent");
	}

	private static Map<?, ?> box(WebDriver browser, WebElement element) {
		return (Map<?, ?>) ((JavascriptExecutor) browser)
			.executeScript("const r = arguments[0].getBoundingClientRect();"
					+ " return {left: r.left, width: r.width, top: r.top, height: r.height};", element);
	}

	private static double number(Object value) {
		return ((Number) value).doubleValue();
	}

}
