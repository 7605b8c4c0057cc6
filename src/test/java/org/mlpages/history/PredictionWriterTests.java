package org.mlpages.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.mlpages.config.MariaDbDatabase;
import org.mlpages.history.PredictionRecord.Channel;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The group commit on both kinds of database: many callers at once, each must get back
 * the id of its own row (the writer inserts a whole batch on one statement, and a driver
 * that handed back the wrong key would attach answers to other people's rows).
 */
class PredictionWriterTests {

	private static final int CALLERS = 16;

	private static final int ROWS_EACH = 40;

	@Test
	void onSqliteEveryCallerGetsTheIdOfItsOwnCommittedRow() throws Exception {
		try (HikariDataSource dataSource = sqlite("writer-concurrent")) {
			everyCallerGetsTheIdOfItsOwnCommittedRow(dataSource);
		}
	}

	@Test
	void whenTheInsertFailsEveryCallerOfTheBatchGetsTheErrorAndNothingIsCommitted() throws Exception {
		try (HikariDataSource dataSource = sqlite("writer-failing")) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			PredictionWriter writer = new PredictionWriter(jdbc);
			writer.start();
			try {
				long first = writer.write(record("before"));
				jdbc.execute("alter table prediction rename to prediction_away");

				assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> writer.write(record("lost")));

				jdbc.execute("alter table prediction_away rename to prediction");
				long after = writer.write(record("after"));
				assertThat(jdbc.queryForList("select input_json from prediction order by id", String.class))
					.containsExactly("before", "after");
				assertThat(after).isGreaterThan(first);
			}
			finally {
				writer.stop();
			}
		}
	}

	@Test
	void onSqliteTheInsertWritesEveryColumnButTheIdAndWhatAPersonSaysLater() throws Exception {
		try (HikariDataSource dataSource = sqlite("writer-columns")) {
			theInsertWritesEveryColumnButTheIdAndWhatAPersonSaysLater(dataSource);
		}
	}

	@Nested
	@ExtendWith(MariaDbDatabase.class)
	class OnMariaDb {

		@Test
		void theInsertWritesEveryColumnButTheIdAndWhatAPersonSaysLater() throws Exception {
			try (HikariDataSource dataSource = mariaDb()) {
				PredictionWriterTests.theInsertWritesEveryColumnButTheIdAndWhatAPersonSaysLater(dataSource);
			}
		}

		@Test
		void everyCallerGetsTheIdOfItsOwnCommittedRow() throws Exception {
			try (HikariDataSource dataSource = mariaDb()) {
				PredictionWriterTests.everyCallerGetsTheIdOfItsOwnCommittedRow(dataSource);
			}
		}

		private static HikariDataSource mariaDb() {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl("jdbc:mysql://" + MariaDbDatabase.host() + ":" + MariaDbDatabase.port() + "/"
					+ MariaDbDatabase.name());
			dataSource.setUsername(MariaDbDatabase.name());
			dataSource.setPassword(MariaDbDatabase.password());
			migrate(dataSource, "mysql");
			return dataSource;
		}

	}

	/**
	 * The insert is made from the record's mapping: a column a migration adds must be
	 * mapped there, or this fails, instead of the writer leaving it empty in every row.
	 */
	static void theInsertWritesEveryColumnButTheIdAndWhatAPersonSaysLater(DataSource dataSource) throws Exception {
		List<String> table = new ArrayList<>();
		try (Connection connection = dataSource.getConnection();
				ResultSet columns = connection.getMetaData()
					.getColumns(connection.getCatalog(), null, "prediction", null)) {
			while (columns.next()) {
				table.add(columns.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
			}
		}
		assertThat(table).contains("id", "feedback_label");
		table.removeAll(List.of("id", "feedback_label"));

		assertThat(PredictionColumns.ofRecord().names()).containsExactlyInAnyOrderElementsOf(table);
	}

	static void everyCallerGetsTheIdOfItsOwnCommittedRow(DataSource dataSource) throws Exception {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		PredictionWriter writer = new PredictionWriter(jdbc);
		writer.start();
		ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
		try {
			CountDownLatch go = new CountDownLatch(1);
			List<Future<Map<Long, String>>> results = new ArrayList<>();
			for (int caller = 0; caller < CALLERS; caller++) {
				int callerNumber = caller;
				Callable<Map<Long, String>> writes = () -> {
					go.await();
					Map<Long, String> mine = new HashMap<>();
					for (int row = 0; row < ROWS_EACH; row++) {
						String input = "caller " + callerNumber + " row " + row;
						mine.put(writer.write(record(input)), input);
					}
					return mine;
				};
				results.add(callers.submit(writes));
			}
			go.countDown();
			Map<Long, String> expected = new HashMap<>();
			for (Future<Map<Long, String>> result : results) {
				expected.putAll(result.get());
			}

			Map<Long, String> logged = new HashMap<>();
			jdbc.query("select id, input_json from prediction",
					(RowCallbackHandler) row -> logged.put(row.getLong("id"), row.getString("input_json")));
			assertThat(expected).hasSize(CALLERS * ROWS_EACH);
			assertThat(logged).isEqualTo(expected);
		}
		finally {
			callers.shutdownNow();
			writer.stop();
		}
	}

	private static HikariDataSource sqlite(String name) throws Exception {
		Path file = Path.of("target/test-data/" + name + ".db");
		Files.createDirectories(file.getParent());
		for (String suffix : new String[] { "", "-wal", "-shm" }) {
			Files.deleteIfExists(Path.of(file + suffix));
		}
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl("jdbc:sqlite:" + file + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000");
		migrate(dataSource, "sqlite");
		return dataSource;
	}

	private static void migrate(DataSource dataSource, String vendor) {
		Flyway.configure()
			.dataSource(dataSource)
			.locations("classpath:db/migration/common", "classpath:db/migration/" + vendor)
			.javaMigrations(new TopProbabilityMigration())
			.load()
			.migrate();
	}

	private static PredictionRecord record(String input) {
		return PredictionRecord.tabular(Channel.API, "credit", "sha", input, "granted", Map.of("good", 0.9, "bad", 0.1),
				0.5, 0.1, 0.2);
	}

}
