package org.mlpages.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.flywaydb.core.Flyway;
import org.mlpages.config.StoredTimes;
import org.mlpages.bench.BenchSupport;
import org.mlpages.history.PredictionRecord.Channel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.runner.RunnerException;

/**
 * What making the writer's insert from {@link PredictionRecord}'s mapping costs: one
 * prediction row bound by {@link PredictionColumns} against the same row bound column by
 * column as the writer did before (its code of 17b09d6, kept here as the baseline, its
 * columns in the order of the insert now), alone and with the row inserted into an SQLite
 * file made by the migrations (one open transaction, committed after each iteration, as
 * the writer's group commit would). Prints microseconds per row and the ratios, measured
 * in the same run.
 * <p>
 * {@code bench/prediction-insert.sh}; system properties {@code bench.seconds} (per
 * iteration, 1), {@code bench.iterations} (5), {@code bench.warmup} (3),
 * {@code bench.out}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PredictionInsertBenchmark {

	private final PredictionColumns columns = PredictionColumns.ofRecord();

	private final ProbabilitiesConverter probabilities = new ProbabilitiesConverter();

	private final Function<Instant, Object> time = StoredTimes.of(false);

	private final PredictionRecord record = PredictionRecord.tabular(Channel.API, "credit", "a".repeat(64),
			"{\"duration\":12,\"purpose\":\"car\"}", "good", Map.of("good", 0.8, "bad", 0.2), 0.5, 0.4, 1.2,
			"{\"duration\":-0.1}");

	private Connection connection;

	private PreparedStatement insert;

	@Setup
	public void open() throws Exception {
		Path file = Files.createTempFile("prediction-insert", ".db");
		String url = "jdbc:sqlite:" + file + "?journal_mode=WAL&synchronous=NORMAL";
		Flyway.configure()
			.dataSource(url, null, null)
			.locations("classpath:db/migration/common", "classpath:db/migration/sqlite")
			.javaMigrations(new TopProbabilityMigration())
			.load()
			.migrate();
		connection = DriverManager.getConnection(url);
		connection.setAutoCommit(false);
		insert = connection.prepareStatement(columns.insert(), Statement.RETURN_GENERATED_KEYS);
	}

	@TearDown(Level.Iteration)
	public void commit() throws SQLException {
		connection.commit();
	}

	@TearDown
	public void close() throws SQLException {
		insert.close();
		connection.close();
	}

	@Benchmark
	public PreparedStatement bindByHand() throws SQLException {
		bindAsBefore(insert, record);
		return insert;
	}

	@Benchmark
	public PreparedStatement bindFromTheMapping() throws SQLException {
		columns.bind(insert, record, time);
		return insert;
	}

	@Benchmark
	public int insertBoundByHand() throws SQLException {
		bindAsBefore(insert, record);
		return insert.executeUpdate();
	}

	@Benchmark
	public int insertBoundFromTheMapping() throws SQLException {
		columns.bind(insert, record, time);
		return insert.executeUpdate();
	}

	/** The writer's binding before the insert was made from the mapping. */
	private void bindAsBefore(PreparedStatement insert, PredictionRecord record) throws SQLException {
		insert.setTimestamp(1, Timestamp.from(record.createdAt()));
		insert.setString(2, record.kind());
		insert.setString(3, record.channel().name().toLowerCase(Locale.ROOT));
		insert.setString(4, record.modelName());
		insert.setString(5, record.modelSha256());
		insert.setString(6, record.storedFile());
		insert.setString(7, record.originalName());
		setInteger(insert, 8, record.imageWidth());
		setInteger(insert, 9, record.imageHeight());
		insert.setString(10, record.inputJson());
		insert.setString(11, record.label());
		insert.setString(12, probabilities.convertToDatabaseColumn(record.probabilities()));
		if (record.threshold() == null) {
			insert.setNull(13, Types.DOUBLE);
		}
		else {
			insert.setDouble(13, record.threshold());
		}
		insert.setDouble(14, record.inferenceMs());
		insert.setDouble(15, record.latencyMs());
		insert.setString(16, record.explanationJson());
		insert.setString(17, record.batchId());
		setInteger(insert, 18, record.batchRow());
		insert.setDouble(19, record.probabilities().getOrDefault(record.label(), 0.0));
	}

	private static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
		if (value == null) {
			statement.setNull(index, Types.INTEGER);
		}
		else {
			statement.setInt(index, value);
		}
	}

	public static void main(String[] args) throws RunnerException, IOException {
		String loadBefore = BenchSupport.load();
		Map<String, double[]> micros = BenchSupport.jmh(PredictionInsertBenchmark.class);
		double[] byHand = micros.get("bindByHand");
		double[] mapped = micros.get("bindFromTheMapping");
		double[] insertByHand = micros.get("insertBoundByHand");
		double[] insertMapped = micros.get("insertBoundFromTheMapping");
		String out = "### One prediction row: bound from PredictionRecord's mapping against bound by hand\n\n"
				+ "load before/after: " + loadBefore + " / " + BenchSupport.load() + "\n\n"
				+ "| step | by hand (before) µs | from the mapping (now) µs | now / before |\n|---|---|---|---|\n"
				+ row("bind the row", byHand, mapped) + row("bind and insert into SQLite", insertByHand, insertMapped);
		BenchSupport.report(out);
	}

	private static String row(String step, double[] before, double[] now) {
		return String.format(Locale.ROOT, "| %s | %.3f ± %.3f | %.3f ± %.3f | %.2f |%n", step, before[0], before[1],
				now[0], now[1], now[0] / before[0]);
	}

}
