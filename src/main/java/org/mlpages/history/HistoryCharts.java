package org.mlpages.history;

import java.text.NumberFormat;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

import org.mlpages.catalog.ModelWords;
import org.mlpages.chart.BarChart;
import org.mlpages.chart.BarChartBuilder;

import org.springframework.context.MessageSource;

/**
 * The history's charts, computed on the server and drawn as SVG (no script, nothing
 * fetched): predictions per day per answer, how confident the answers were, and the
 * latency percentiles of each model.
 */
public record HistoryCharts(BarChart days, BarChart confidence, BarChart latencies, long rowsCounted) {

	static HistoryCharts of(HistoryFigures figures, Locale locale, ModelWords names, MessageSource messages) {
		NumberFormat integers = NumberFormat.getIntegerInstance(locale);
		DoubleFunction<String> count = value -> integers.format(Math.round(value));
		return new HistoryCharts(days(figures, locale, names, count), confidence(figures, locale, messages, count),
				latencies(figures, locale, names, messages), figures.rows());
	}

	private static BarChart days(HistoryFigures figures, Locale locale, ModelWords names,
			DoubleFunction<String> count) {
		// an answer's name comes from the model that gave it last: "Cat" of two models is
		// one series
		List<String> labels = List.copyOf(figures.modelOfLabel().keySet());
		List<String> series = labels.stream()
			.map(label -> names.label(figures.modelOfLabel().get(label), label, locale))
			.toList();
		BarChartBuilder chart = new BarChartBuilder(series, count, locale).stacked().wholeNumbers();
		DateTimeFormatter date = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale);
		figures.perDay()
			.forEach((day, counts) -> chart.row(date.format(day),
					labels.stream().mapToDouble(label -> counts.getOrDefault(label, 0L)).toArray()));
		return chart.build();
	}

	private static BarChart confidence(HistoryFigures figures, Locale locale, MessageSource messages,
			DoubleFunction<String> count) {
		long[] bands = figures.confidence();
		BarChartBuilder chart = new BarChartBuilder(List.of(messages.getMessage("history.chart.count", null, locale)),
				count, locale)
			.wholeNumbers();
		for (int i = bands.length - 1; i >= 0; i--) {
			chart.row(messages.getMessage("history.chart.bucket", new Object[] { i * 10, (i + 1) * 10 }, locale),
					bands[i]);
		}
		return chart.build();
	}

	private static BarChart latencies(HistoryFigures figures, Locale locale, ModelWords names, MessageSource messages) {
		NumberFormat decimals = NumberFormat.getNumberInstance(locale);
		decimals.setMinimumFractionDigits(1);
		decimals.setMaximumFractionDigits(1);
		DoubleFunction<String> ms = value -> messages.getMessage("history.ms", new Object[] { decimals.format(value) },
				locale);
		NumberFormat ticks = NumberFormat.getNumberInstance(locale);
		ticks.setMaximumFractionDigits(1);
		BarChartBuilder chart = new BarChartBuilder(List.of("p50", "p90", "p99"), ms, locale).grouped()
			.tickFormat(ticks::format);
		figures.latencies().forEach((model, values) -> chart.row(names.title(model, locale), values));
		return chart.build();
	}

}
