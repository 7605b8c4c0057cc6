package org.mlpages.history;

import java.time.LocalDate;
import java.util.Map;
import java.util.SortedMap;

/**
 * What the history's charts show, as counted by the database: its size does not depend on
 * how many rows were counted.
 *
 * @param perDay the day, in the server's zone, to the number of predictions per answer
 * @param modelOfLabel each answer to the model that gave it last, which names it
 * @param confidence how many answers had their top probability in each tenth, from 0–10 %
 * to 90–100 %
 * @param latencies each model to its latency at the 50th, 90th and 99th percentile (ms)
 * @param rows how many rows were counted: every row that matches the filter
 */
record HistoryFigures(SortedMap<LocalDate, Map<String, Long>> perDay, SortedMap<String, String> modelOfLabel,
		long[] confidence, SortedMap<String, double[]> latencies, long rows) {

	static final int[] PERCENTILES = { 50, 90, 99 };

	static final int BANDS = 10;

	/** The nearest rank (from 1) of a percentile among {@code count} sorted values. */
	static long rank(int percent, long count) {
		return Math.max(1, (long) Math.ceil(percent / 100.0 * count));
	}

}
