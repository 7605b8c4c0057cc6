package org.mlpages.history;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts the history's chart figures in the database, with GROUP BY and one sort per
 * model for its latency percentiles: the heap holds the figures, never the rows, however
 * long the log. The SQL is the same on SQLite and MySQL/MariaDB except where times are
 * turned into numbers (SQLite keeps epoch milliseconds, the servers a DATETIME in UTC).
 */
@Component
class HistoryQueries {

	private static final long SECONDS_PER_DAY = 86_400;

	private static final String MYSQL_EPOCH = "TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', %s)";

	private static final DateTimeFormatter UTC_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
		.withZone(ZoneOffset.UTC);

	private final JdbcTemplate jdbc;

	private volatile Boolean mysql;

	HistoryQueries(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** The figures of every row that matches the filter. */
	@Transactional(readOnly = true)
	HistoryFigures figures(HistoryFilter filter, ZoneId zone) {
		boolean mysql = isMySql();
		// as PredictionWriter writes them
		Function<Instant, Object> time = mysql ? UTC_MILLIS::format : Instant::toEpochMilli;
		List<Object> args = new ArrayList<>();
		String where = " FROM prediction WHERE " + filter.sqlCondition(zone, time, args);

		SortedMap<String, String> modelOfLabel = new TreeMap<>();
		Map<String, Long> newestIdOfLabel = new HashMap<>();
		SortedMap<String, Long> countOfModel = new TreeMap<>();
		jdbc.query("SELECT label, model_name, COUNT(*), MAX(id)" + where + " GROUP BY label, model_name", row -> {
			String label = row.getString(1);
			String model = row.getString(2);
			long newest = row.getLong(4);
			countOfModel.merge(model, row.getLong(3), Long::sum);
			if (newestIdOfLabel.getOrDefault(label, Long.MIN_VALUE) < newest) {
				newestIdOfLabel.put(label, newest);
				modelOfLabel.put(label, model);
			}
		}, args.toArray());
		long rows = countOfModel.values().stream().mapToLong(Long::longValue).sum();
		if (rows == 0) {
			return new HistoryFigures(new TreeMap<>(), modelOfLabel, new long[HistoryFigures.BANDS], new TreeMap<>(),
					0);
		}
		return new HistoryFigures(perDay(where, args, zone, mysql), modelOfLabel, confidence(where, args),
				latencies(where, args, countOfModel), rows);
	}

	/**
	 * Rows are grouped by slots of time that no local midnight cuts (an hour in most
	 * zones, half an hour in India's): the database needs no knowledge of the server's
	 * zone or its summer time, and each slot then falls on one day here.
	 */
	private SortedMap<LocalDate, Map<String, Long>> perDay(String where, List<Object> args, ZoneId zone,
			boolean mysql) {
		Map<String, Object> span = jdbc.queryForMap("SELECT " + epochSeconds("MIN(created_at)", mysql) + " AS first, "
				+ epochSeconds("MAX(created_at)", mysql) + " AS last" + where, args.toArray());
		long slot = slotSeconds(zone, ((Number) span.get("first")).longValue(),
				((Number) span.get("last")).longValue());
		String slotOfRow = mysql ? MYSQL_EPOCH.formatted("created_at") + " DIV " + slot
				: "created_at / " + (slot * 1000);
		SortedMap<LocalDate, Map<String, Long>> perDay = new TreeMap<>();
		jdbc.query("SELECT " + slotOfRow + " AS slot, label, COUNT(*)" + where + " GROUP BY slot, label", row -> {
			LocalDate day = Instant.ofEpochSecond(row.getLong(1) * slot).atZone(zone).toLocalDate();
			perDay.computeIfAbsent(day, d -> new TreeMap<>()).merge(row.getString(2), row.getLong(3), Long::sum);
		}, args.toArray());
		return perDay;
	}

	private static String epochSeconds(String time, boolean mysql) {
		return mysql ? MYSQL_EPOCH.formatted(time) : time + " / 1000";
	}

	/**
	 * The longest slot, in seconds, that divides a day and every local midnight from the
	 * first to the last instant.
	 */
	static long slotSeconds(ZoneId zone, long firstSecond, long lastSecond) {
		long slot = SECONDS_PER_DAY;
		LocalDate last = Instant.ofEpochSecond(lastSecond).atZone(zone).toLocalDate().plusDays(1);
		for (LocalDate day = Instant.ofEpochSecond(firstSecond).atZone(zone).toLocalDate(); !day.isAfter(last)
				&& slot > 1; day = day.plusDays(1)) {
			slot = gcd(slot, Math.floorMod(day.atStartOfDay(zone).toEpochSecond(), SECONDS_PER_DAY));
		}
		return slot;
	}

	private static long gcd(long a, long b) {
		return b == 0 ? a : gcd(b, a % b);
	}

	/**
	 * {@code p * 10 >= k} is exactly {@code floor(p * 10) >= k}, the band the charts
	 * always used; a row without the column (not written by the app) counts in the
	 * lowest.
	 */
	private long[] confidence(String where, List<Object> args) {
		StringBuilder band = new StringBuilder("CASE");
		for (int k = HistoryFigures.BANDS - 1; k >= 1; k--) {
			band.append(" WHEN top_probability * 10 >= ").append(k).append(" THEN ").append(k);
		}
		band.append(" ELSE 0 END");
		long[] bands = new long[HistoryFigures.BANDS];
		jdbc.query("SELECT " + band + " AS band, COUNT(*)" + where + " GROUP BY band", (RowCallbackHandler) row -> {
			bands[row.getInt(1)] += row.getLong(2);
		}, args.toArray());
		return bands;
	}

	/**
	 * Nearest-rank percentiles: the database sorts each model's latencies and returns the
	 * three rows at their ranks.
	 */
	private SortedMap<String, double[]> latencies(String where, List<Object> args, SortedMap<String, Long> counts) {
		SortedMap<String, double[]> latencies = new TreeMap<>();
		counts.forEach((model, count) -> {
			int[] percentiles = HistoryFigures.PERCENTILES;
			List<Object> modelArgs = new ArrayList<>(args);
			modelArgs.add(model);
			for (int percent : percentiles) {
				modelArgs.add(HistoryFigures.rank(percent, count));
			}
			Map<Long, Double> atRank = new HashMap<>();
			jdbc.query("SELECT rn, latency_ms FROM (SELECT latency_ms, ROW_NUMBER() OVER (ORDER BY latency_ms) AS rn"
					+ where + " AND model_name = ?) ranked WHERE rn IN (?, ?, ?)", (RowCallbackHandler) row -> {
						atRank.put(row.getLong(1), row.getDouble(2));
					}, modelArgs.toArray());
			double[] values = new double[percentiles.length];
			for (int i = 0; i < percentiles.length; i++) {
				values[i] = atRank.getOrDefault(HistoryFigures.rank(percentiles[i], count), 0.0);
			}
			latencies.put(model, values);
		});
		return latencies;
	}

	private boolean isMySql() {
		Boolean known = mysql;
		if (known == null) {
			known = jdbc.execute((ConnectionCallback<Boolean>) connection -> connection.getMetaData()
				.getURL()
				.startsWith("jdbc:mysql"));
			mysql = known;
		}
		return known;
	}

}
