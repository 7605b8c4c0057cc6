package org.mlpages.history;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The history's charts, drawn on the server as plain HTML bars (no script, nothing
 * fetched): predictions per day per answer, how confident the answers were, and the
 * latency percentiles of each model.
 */
public record HistoryCharts(List<String> labels, List<Day> days, List<Bucket> confidence, List<Latency> latencies,
		int rowsCounted) {

	/**
	 * One day's predictions, split by answer; widths are percentages of the busiest day.
	 */
	public record Day(LocalDate date, int total, Map<String, Double> widthByLabel, Map<String, Integer> countByLabel) {
	}

	/** Answers whose top probability fell in [from, to) percent. */
	public record Bucket(int from, int to, int count, double widthPercent) {
	}

	public record Latency(String model, int count, double p50, double p90, double p99) {
	}

	static HistoryCharts of(List<Prediction> rows, ZoneId zone) {
		List<String> labels = rows.stream().map(Prediction::getLabel).distinct().sorted().toList();
		Map<LocalDate, Map<String, Integer>> perDay = new TreeMap<>();
		for (Prediction row : rows) {
			perDay.computeIfAbsent(row.getCreatedAt().atZone(zone).toLocalDate(), day -> new TreeMap<>())
				.merge(row.getLabel(), 1, Integer::sum);
		}
		int busiest = perDay.values()
			.stream()
			.mapToInt(counts -> counts.values().stream().mapToInt(Integer::intValue).sum())
			.max()
			.orElse(1);
		List<Day> days = new ArrayList<>();
		perDay.forEach((date, counts) -> {
			Map<String, Double> widths = new LinkedHashMap<>();
			counts.forEach((label, count) -> widths.put(label, 100.0 * count / busiest));
			days.add(new Day(date, counts.values().stream().mapToInt(Integer::intValue).sum(), widths, counts));
		});

		int[] buckets = new int[10];
		for (Prediction row : rows) {
			int bucket = (int) Math.min(9, Math.floor(row.getTopProbability() * 10));
			buckets[Math.max(0, bucket)]++;
		}
		int fullest = Math.max(1, Arrays.stream(buckets).max().orElse(1));
		List<Bucket> confidence = new ArrayList<>();
		for (int i = 0; i < buckets.length; i++) {
			confidence.add(new Bucket(i * 10, (i + 1) * 10, buckets[i], 100.0 * buckets[i] / fullest));
		}

		Map<String, List<Double>> latencyByModel = rows.stream()
			.collect(Collectors.groupingBy(Prediction::getModelName, TreeMap::new,
					Collectors.mapping(Prediction::getLatencyMs, Collectors.toList())));
		List<Latency> latencies = new ArrayList<>();
		latencyByModel.forEach((model, values) -> {
			double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
			latencies.add(new Latency(model, sorted.length, percentile(sorted, 50), percentile(sorted, 90),
					percentile(sorted, 99)));
		});
		return new HistoryCharts(new ArrayList<>(new TreeSet<>(labels)), days, confidence, latencies, rows.size());
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
