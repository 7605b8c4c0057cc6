package org.mlpages.history;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mlpages.config.MariaDbDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credit decisions logged before V4 kept the model's classes as probability keys; after
 * the migration the history reads the probability of the answer each row gives, on both
 * databases, and image rows are left as they were.
 */
class CreditProbabilityKeysMigrationTests {

	@Nested
	class OnSqlite {

		@Test
		void oldCreditRowsReadTheirAnswersProbability(@TempDir Path dir) throws SQLException {
			String url = "jdbc:sqlite:" + dir.resolve("old.db");
			assertMigrated(url, "", "", "sqlite");
		}

	}

	@Nested
	@ExtendWith(MariaDbDatabase.class)
	class OnMariaDb {

		@Test
		void oldCreditRowsReadTheirAnswersProbability() throws SQLException {
			String url = "jdbc:mysql://" + MariaDbDatabase.host() + ":" + MariaDbDatabase.port() + "/"
					+ MariaDbDatabase.name();
			assertMigrated(url, MariaDbDatabase.name(), MariaDbDatabase.password(), "mysql");
		}

	}

	private static void assertMigrated(String url, String user, String password, String vendor) throws SQLException {
		migrate(url, user, password, vendor, "3");
		try (Connection connection = DriverManager.getConnection(url, user, password);
				Statement statement = connection.createStatement()) {
			statement.executeUpdate(insert("tabular", "refused", "{\"good\":0.62,\"bad\":0.38}"));
			statement.executeUpdate(insert("image", "Cat", "{\"Cat\":0.9,\"Dog\":0.1}"));
		}
		migrate(url, user, password, vendor, "latest");

		ProbabilitiesConverter json = new ProbabilitiesConverter();
		try (Connection connection = DriverManager.getConnection(url, user, password);
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select kind, probabilities from prediction order by id")) {
			assertThat(rows.next()).isTrue();
			assertThat(json.convertToEntityAttribute(rows.getString("probabilities"))).as("the credit row")
				.containsExactly(Map.entry("granted", 0.62), Map.entry("refused", 0.38));
			assertThat(rows.next()).isTrue();
			assertThat(rows.getString("probabilities")).as("the image row").isEqualTo("{\"Cat\":0.9,\"Dog\":0.1}");
		}
	}

	private static void migrate(String url, String user, String password, String vendor, String target) {
		Flyway.configure()
			.dataSource(url, user, password)
			.locations("classpath:db/migration/common", "classpath:db/migration/" + vendor)
			.target(target)
			.load()
			.migrate();
	}

	private static String insert(String kind, String label, String probabilities) {
		return "insert into prediction (created_at, channel, model_name, model_sha256, label, probabilities,"
				+ " inference_ms, latency_ms, kind) values ('2026-11-01 10:00:00', 'page', 'credit', 'sha', '" + label
				+ "', '" + probabilities + "', 1.0, 2.0, '" + kind + "')";
	}

}
