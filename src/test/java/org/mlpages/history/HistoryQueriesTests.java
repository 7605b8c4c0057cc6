package org.mlpages.history;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mlpages.config.MariaDbDatabase;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history's figures, counted by the database, are those the page drew when it read
 * the rows: the same rows are counted here in Java the way the page used to (per day in
 * the server's zone, a tenth of probability per band, nearest-rank percentiles), across a
 * change to summer time and in a zone half an hour off the hour, on both databases. Rows
 * logged before V5 get their top probability from the migration, later ones from the
 * writer.
 */
class HistoryQueriesTests {

	private static final String[] MODELS = { "m1", "m2" };

	private static final String[] LABELS = { "Cat", "Dog", "Bird" };

	private static final String[] CHANNELS = { "api", "page", "demo" };

	private static final List<ZoneId> ZONES = List.of(ZoneId.of("Europe/Paris"), ZoneId.of("Asia/Kolkata"),
			ZoneId.of("Pacific/Kiritimati"), ZoneOffset.UTC);

	@Nested
	class OnSqlite {

		@Test
		void theDatabasesFiguresAreThoseOfTheRows(@TempDir Path dir) throws Exception {
			assertSameFigures("jdbc:sqlite:" + dir.resolve("log.db"), "", "", "sqlite");
		}

		/**
		 * A JVM with a 32 MB heap (the service has 256) counts 200,000 rows, four views
		 * at a time, where reading the same rows as the page used to does not fit.
		 */
		@Test
		void countingAHugeLogFitsInASmallHeapWhereReadingItDoesNot(@TempDir Path dir) throws Exception {
			String url = "jdbc:sqlite:" + dir.resolve("huge.db");
			migrate(url, "", "", "sqlite", "latest");
			int count = 200_000;
			Instant start = Instant.parse("2026-03-01T00:00:00Z");
			try (Connection connection = DriverManager.getConnection(url)) {
				connection.setAutoCommit(false);
				try (PreparedStatement insert = connection.prepareStatement("insert into prediction (created_at,"
						+ " channel, model_name, model_sha256, label, probabilities, top_probability, inference_ms,"
						+ " latency_ms, kind) values (?, 'api', ?, 'sha', ?, ?, ?, 1.0, ?, 'image')")) {
					for (int i = 0; i < count; i++) {
						StringBuilder json = new StringBuilder("{");
						for (int k = 0; k < 10; k++) {
							json.append(k == 0 ? "" : ",").append("\"class").append(k).append("\":0.").append(k);
						}
						insert.setTimestamp(1, Timestamp.from(start.plusSeconds(i * 13L)));
						insert.setString(2, MODELS[i % 2]);
						insert.setString(3, "class" + (i % 10));
						insert.setString(4, json.append('}').toString());
						insert.setDouble(5, (i % 10) / 10.0);
						insert.setDouble(6, i % 1000);
						insert.addBatch();
					}
					insert.executeBatch();
				}
				connection.commit();
			}

			Fork figures = fork(url, "figures");
			Fork rows = fork(url, "rows");

			assertThat(figures.exitCode()).as(figures.output()).isZero();
			assertThat(figures.output()).contains("rows=" + count, "band9=" + count / 10);
			assertThat(rows.exitCode()).as("the control: the rows themselves do not fit").isNotZero();
			assertThat(rows.output()).contains("OutOfMemoryError");
		}

	}

	@Nested
	@ExtendWith(MariaDbDatabase.class)
	class OnMariaDb {

		@Test
		void theDatabasesFiguresAreThoseOfTheRows() throws Exception {
			assertSameFigures("jdbc:mysql://" + MariaDbDatabase.host() + ":" + MariaDbDatabase.port() + "/"
					+ MariaDbDatabase.name(), MariaDbDatabase.name(), MariaDbDatabase.password(), "mysql");
		}

	}

	private static void assertSameFigures(String url, String user, String password, String vendor) throws Exception {
		migrate(url, user, password, vendor, "4");
		List<Row> rows = rows(new Random(16), 3000);
		List<Row> old = rows.subList(0, 2900);
		insertAsBefore(url, user, password, vendor.equals("mysql"), old);
		Flyway flyway = flyway(url, user, password, vendor, "latest");
		flyway.migrate();
		JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(url, user, password));
		assertThat(jdbc.queryForObject("select count(*) from prediction where top_probability is null", Long.class))
			.as("filled by the migration")
			.isZero();
		PredictionWriter writer = new PredictionWriter(jdbc);
		writer.start();
		try {
			for (Row row : rows.subList(2900, rows.size())) {
				writer.write(row.record());
			}
		}
		finally {
			writer.stop();
		}

		HistoryQueries queries = new HistoryQueries(jdbc);
		LocalDate summerTime = LocalDate.of(2026, 3, 29);
		List<HistoryFilter> filters = List.of(new HistoryFilter(null, null, null, null, null, null),
				new HistoryFilter("m1", null, null, null, null, null),
				new HistoryFilter(null, "Cat", null, null, "api", null),
				new HistoryFilter("m2", null, summerTime.minusDays(1), summerTime.plusDays(1), null, null),
				new HistoryFilter(null, null, summerTime, summerTime, "demo", null),
				new HistoryFilter("nothing", null, null, null, null, null));
		for (ZoneId zone : ZONES) {
			for (HistoryFilter filter : filters) {
				HistoryFigures expected = countedInJava(rows, filter, zone);
				HistoryFigures actual = queries.figures(filter, zone);
				String where = zone + " " + filter;
				assertThat(actual.rows()).as(where).isEqualTo(expected.rows());
				assertThat(actual.perDay()).as(where).isEqualTo(expected.perDay());
				assertThat(actual.modelOfLabel()).as(where).isEqualTo(expected.modelOfLabel());
				assertThat(actual.confidence()).as(where).containsExactly(expected.confidence());
				assertThat(actual.latencies().keySet()).as(where).isEqualTo(expected.latencies().keySet());
				expected.latencies()
					.forEach((model, values) -> assertThat(actual.latencies().get(model)).as(where + " " + model)
						.containsExactly(values));
			}
		}
		assertThat(queries.figures(filters.get(0), ZoneOffset.UTC).rows()).isEqualTo(3000);
	}

	/** The figures as the page computed them from the rows it read. */
	private static HistoryFigures countedInJava(List<Row> all, HistoryFilter filter, ZoneId zone) {
		Predicate<Row> matches = row -> (filter.model() == null || filter.model().equals(row.model))
				&& (filter.label() == null || filter.label().equals(row.label))
				&& (filter.channel() == null || filter.channel().equals(row.channel))
				&& (filter.from() == null || !row.createdAt.isBefore(filter.from().atStartOfDay(zone).toInstant()))
				&& (filter.to() == null
						|| row.createdAt.isBefore(filter.to().plusDays(1).atStartOfDay(zone).toInstant()));
		List<Row> rows = all.stream().filter(matches).sorted(Comparator.comparing(Row::createdAt).reversed()).toList();
		SortedMap<String, String> modelOfLabel = new TreeMap<>();
		SortedMap<LocalDate, Map<String, Long>> perDay = new TreeMap<>();
		long[] bands = new long[10];
		Map<String, List<Double>> latencies = new TreeMap<>();
		for (Row row : rows) {
			modelOfLabel.putIfAbsent(row.label, row.model);
			perDay.computeIfAbsent(row.createdAt.atZone(zone).toLocalDate(), day -> new TreeMap<>())
				.merge(row.label, 1L, Long::sum);
			bands[Math.max(0, (int) Math.min(9, Math.floor(row.top * 10)))]++;
			latencies.computeIfAbsent(row.model, model -> new ArrayList<>()).add(row.latency);
		}
		SortedMap<String, double[]> percentiles = new TreeMap<>();
		latencies.forEach((model, values) -> {
			double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
			double[] at = new double[3];
			int[] percents = { 50, 90, 99 };
			for (int i = 0; i < 3; i++) {
				int rank = (int) Math.ceil(percents[i] / 100.0 * sorted.length);
				at[i] = sorted[Math.max(0, rank - 1)];
			}
			percentiles.put(model, at);
		});
		return new HistoryFigures(perDay, modelOfLabel, bands, percentiles, rows.size());
	}

	/**
	 * Three weeks around Paris's change to summer time, many rows at a local midnight or
	 * a millisecond before one, probabilities on the edge of a band, latencies that tie.
	 */
	private static List<Row> rows(Random random, int count) {
		List<Row> rows = new ArrayList<>();
		LocalDateTime start = LocalDateTime.of(2026, 3, 18, 0, 0);
		for (int i = 0; i < count; i++) {
			ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
			LocalDateTime local = start.plusDays(random.nextInt(21));
			Instant at = switch (random.nextInt(4)) {
				case 0 -> local.atZone(zone).toInstant();
				case 1 -> local.atZone(zone).toInstant().minusMillis(1);
				default -> local.atZone(zone).toInstant().plusMillis(random.nextLong(86_400_000));
			};
			String label = LABELS[random.nextInt(LABELS.length)];
			double top = random.nextBoolean() ? random.nextInt(11) / 10.0 : random.nextDouble();
			double latency = random.nextBoolean() ? random.nextInt(50) : Math.round(random.nextDouble() * 5000) / 10.0;
			rows.add(new Row(at, MODELS[random.nextInt(MODELS.length)], label,
					CHANNELS[random.nextInt(CHANNELS.length)], top, latency));
		}
		rows.sort(Comparator.comparing(Row::createdAt));
		return rows;
	}

	/** As PredictionWriter wrote rows before the column existed. */
	private static void insertAsBefore(String url, String user, String password, boolean mysql, List<Row> rows)
			throws SQLException {
		DateTimeFormatter utc = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
		ProbabilitiesConverter json = new ProbabilitiesConverter();
		try (Connection connection = DriverManager.getConnection(url, user, password)) {
			connection.setAutoCommit(false);
			try (PreparedStatement insert = connection.prepareStatement("insert into prediction (created_at, channel,"
					+ " model_name, model_sha256, label, probabilities, inference_ms, latency_ms, kind)"
					+ " values (?, ?, ?, 'sha', ?, ?, 1.0, ?, 'image')")) {
				for (Row row : rows) {
					if (mysql) {
						insert.setString(1, utc.format(row.createdAt));
					}
					else {
						insert.setTimestamp(1, Timestamp.from(row.createdAt));
					}
					insert.setString(2, row.channel);
					insert.setString(3, row.model);
					insert.setString(4, row.label);
					insert.setString(5, json.convertToDatabaseColumn(row.record().probabilities()));
					insert.setDouble(6, row.latency);
					insert.addBatch();
				}
				insert.executeBatch();
			}
			connection.commit();
		}
	}

	private static void migrate(String url, String user, String password, String vendor, String target) {
		flyway(url, user, password, vendor, target).migrate();
	}

	private static Flyway flyway(String url, String user, String password, String vendor, String target) {
		return Flyway.configure()
			.dataSource(url, user, password)
			.locations("classpath:db/migration/common", "classpath:db/migration/" + vendor)
			.javaMigrations(new TopProbabilityMigration())
			.target(target)
			.load();
	}

	private static Fork fork(String url, String mode) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx32m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-cp",
				System.getProperty("java.class.path"), Views.class.getName(), url, mode)
			.redirectErrorStream(true)
			.start();
		byte[] output = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
		return new Fork(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

	private record Fork(int exitCode, String output) {
	}

	private record Row(Instant createdAt, String model, String label, String channel, double top, double latency) {

		PredictionRecord record() {
			Map<String, Double> probabilities = new LinkedHashMap<>();
			for (String other : LABELS) {
				probabilities.put(other, other.equals(label) ? top : (1 - top) / 2);
			}
			return new PredictionRecord(createdAt, PredictionRecord.IMAGE,
					PredictionRecord.Channel.valueOf(channel.toUpperCase(java.util.Locale.ROOT)), model, "sha", null,
					null, 1, 1, null, label, probabilities, null, 1.0, latency, null, null, null);
		}

	}

	/**
	 * Run in a JVM of its own: "figures" counts the log four views at a time, "rows"
	 * reads it as the page used to (every row, its probabilities parsed).
	 */
	static final class Views {

		public static void main(String[] args) throws Exception {
			JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(args[0]));
			if (args[1].equals("rows")) {
				ProbabilitiesConverter json = new ProbabilitiesConverter();
				List<Object> rows = jdbc.query("select created_at, label, probabilities, latency_ms from prediction",
						(row, i) -> List.of(row.getTimestamp(1).toInstant(), row.getString(2),
								json.convertToEntityAttribute(row.getString(3)), row.getDouble(4)));
				System.out.println("rows=" + rows.size());
				return;
			}
			HistoryQueries queries = new HistoryQueries(jdbc);
			ExecutorService views = Executors.newFixedThreadPool(4);
			List<Future<HistoryFigures>> done = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				done.add(views.submit(() -> queries.figures(new HistoryFilter(null, null, null, null, null, null),
						ZoneId.of("Europe/Paris"))));
			}
			for (Future<HistoryFigures> view : done) {
				HistoryFigures figures = view.get();
				System.out.println("rows=" + figures.rows() + " band9=" + figures.confidence()[9]);
			}
			views.shutdown();
		}

	}

}
