package org.mlpages.history;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

import org.mlpages.config.StoredTimes;

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

	private final JdbcTemplate jdbc;

	private volatile Boolean mysql;

	HistoryQueries(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** The figures of every row that matches the filter. */
	@Transactional(readOnly = true)
	HistoryFigures figures(HistoryFilter filter, ZoneId zone) {
		boolean mysql = isMySql();
		Function<Instant, Object> time = StoredTimes.of(mysql);
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
		return new HistoryFigures(perDay(where, args, zone, mysql, time), modelOfLabel, confidence(where, args),
				latencies(where, args, countOfModel), rows);
	}

	/**
	 * A row's day is {@code floor((epoch second + offset) / 86,400)} in the server's
	 * zone, with the offset of the row's instant: the query is handed the zone's offsets
	 * and the instants where they change (summer time) between the first and the last
	 * row, so the database needs no time-zone tables and returns one group per day and
	 * answer.
	 */
	private SortedMap<LocalDate, Map<String, Long>> perDay(String where, List<Object> args, ZoneId zone, boolean mysql,
			Function<Instant, Object> time) {
		Map<String, Object> span = jdbc.queryForMap("SELECT " + epochSeconds("MIN(created_at)", mysql) + " AS first, "
				+ epochSeconds("MAX(created_at)", mysql) + " AS last" + where, args.toArray());
		Instant first = Instant.ofEpochSecond(((Number) span.get("first")).longValue());
		Instant last = Instant.ofEpochSecond(((Number) span.get("last")).longValue() + 1);
		String seconds = epochSeconds("created_at", mysql);
		ZoneRules rules = zone.getRules();
		List<Object> dayArgs = new ArrayList<>();
		StringBuilder day = new StringBuilder();
		Instant from = first;
		for (ZoneOffsetTransition change = rules.nextTransition(from); change != null
				&& change.getInstant().isBefore(last); change = rules.nextTransition(change.getInstant())) {
			day.append(" WHEN created_at < ? THEN ")
				.append(dayAt(seconds, change.getOffsetBefore().getTotalSeconds(), mysql));
			dayArgs.add(time.apply(change.getInstant()));
			from = change.getInstant();
		}
		String latest = dayAt(seconds, rules.getOffset(from).getTotalSeconds(), mysql);
		String dayOfRow = day.isEmpty() ? latest : "CASE" + day + " ELSE " + latest + " END";
		dayArgs.addAll(args);
		SortedMap<LocalDate, Map<String, Long>> perDay = new TreeMap<>();
		jdbc.query("SELECT " + dayOfRow + " AS day, label, COUNT(*)" + where + " GROUP BY day, label", row -> {
			perDay.computeIfAbsent(LocalDate.ofEpochDay(row.getLong(1)), d -> new TreeMap<>())
				.merge(row.getString(2), row.getLong(3), Long::sum);
		}, dayArgs.toArray());
		return perDay;
	}

	private static String dayAt(String seconds, int offset, boolean mysql) {
		return "(" + seconds + " + " + offset + (mysql ? ") DIV " : ") / ") + SECONDS_PER_DAY;
	}

	private static String epochSeconds(String time, boolean mysql) {
		return mysql ? MYSQL_EPOCH.formatted(time) : time + " / 1000";
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
			known = jdbc.execute(
					(ConnectionCallback<Boolean>) connection -> StoredTimes.isMySql(connection.getMetaData().getURL()));
			mysql = known;
		}
		return known;
	}

}
