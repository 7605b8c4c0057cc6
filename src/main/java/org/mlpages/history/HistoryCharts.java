package org.mlpages.history;

import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleFunction;
import java.util.stream.Collectors;

import org.mlpages.catalog.ModelWords;
import org.mlpages.chart.BarChart;
import org.mlpages.chart.BarChartBuilder;

import org.springframework.context.MessageSource;

/**
 * The history's charts, computed on the server and drawn as SVG (no script, nothing
 * fetched): predictions per day per answer, how confident the answers were, and the
 * latency percentiles of each model.
 */
public record HistoryCharts(BarChart days, BarChart confidence, BarChart latencies, int rowsCounted) {

	static HistoryCharts of(List<Prediction> rows, ZoneId zone, Locale locale, ModelWords names,
			MessageSource messages) {
		NumberFormat integers = NumberFormat.getIntegerInstance(locale);
		DoubleFunction<String> count = value -> integers.format(Math.round(value));
		return new HistoryCharts(days(rows, zone, locale, names, count), confidence(rows, locale, messages, count),
				latencies(rows, locale, names, messages), rows.size());
	}

	private static BarChart days(List<Prediction> rows, ZoneId zone, Locale locale, ModelWords names,
			DoubleFunction<String> count) {
		// an answer's name comes from the first model seen giving it: "Cat" of two models
		// is one series
		Map<String, String> modelOfLabel = new TreeMap<>();
		Map<LocalDate, Map<String, Integer>> perDay = new TreeMap<>();
		for (Prediction row : rows) {
			modelOfLabel.putIfAbsent(row.getLabel(), row.getModelName());
			perDay.computeIfAbsent(row.getCreatedAt().atZone(zone).toLocalDate(), day -> new TreeMap<>())
				.merge(row.getLabel(), 1, Integer::sum);
		}
		List<String> labels = List.copyOf(modelOfLabel.keySet());
		List<String> series = labels.stream()
			.map(label -> names.label(modelOfLabel.get(label), label, locale))
			.toList();
		BarChartBuilder chart = new BarChartBuilder(series, count, locale).stacked().wholeNumbers();
		DateTimeFormatter date = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale);
		perDay.forEach((day, counts) -> chart.row(date.format(day),
				labels.stream().mapToDouble(label -> counts.getOrDefault(label, 0)).toArray()));
		return chart.build();
	}

	private static BarChart confidence(List<Prediction> rows, Locale locale, MessageSource messages,
			DoubleFunction<String> count) {
		int[] buckets = new int[10];
		for (Prediction row : rows) {
			int bucket = (int) Math.min(9, Math.floor(row.getTopProbability() * 10));
			buckets[Math.max(0, bucket)]++;
		}
		BarChartBuilder chart = new BarChartBuilder(List.of(messages.getMessage("history.chart.count", null, locale)),
				count, locale)
			.wholeNumbers();
		for (int i = buckets.length - 1; i >= 0; i--) {
			chart.row(messages.getMessage("history.chart.bucket", new Object[] { i * 10, (i + 1) * 10 }, locale),
					buckets[i]);
		}
		return chart.build();
	}

	private static BarChart latencies(List<Prediction> rows, Locale locale, ModelWords names, MessageSource messages) {
		NumberFormat decimals = NumberFormat.getNumberInstance(locale);
		decimals.setMinimumFractionDigits(1);
		decimals.setMaximumFractionDigits(1);
		DoubleFunction<String> ms = value -> messages.getMessage("history.ms", new Object[] { decimals.format(value) },
				locale);
		Map<String, List<Double>> latencyByModel = rows.stream()
			.collect(Collectors.groupingBy(Prediction::getModelName, TreeMap::new,
					Collectors.mapping(Prediction::getLatencyMs, Collectors.toList())));
		NumberFormat ticks = NumberFormat.getNumberInstance(locale);
		ticks.setMaximumFractionDigits(1);
		BarChartBuilder chart = new BarChartBuilder(List.of("p50", "p90", "p99"), ms, locale).grouped()
			.tickFormat(ticks::format);
		latencyByModel.forEach((model, values) -> {
			double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
			chart.row(names.title(model, locale), percentile(sorted, 50), percentile(sorted, 90),
					percentile(sorted, 99));
		});
		return chart.build();
	}

	/** Nearest-rank percentile. */
	static double percentile(double[] sorted, int percent) {
		if (sorted.length == 0) {
			return 0;
		}
		int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
		return sorted[Math.max(0, rank - 1)];
	}

}
