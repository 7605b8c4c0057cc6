package org.mlpages.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

import org.springframework.stereotype.Component;

/**
 * Version 5 of the schema: each row keeps the probability of the answer it gave in a
 * column of its own, so the history's confidence chart is counted by the database instead
 * of parsing every row's probabilities. Rows logged before are filled here from their
 * JSON, in slices by id, so that neither the heap nor one statement grows with the log.
 * Java rather than SQL: the answer is a key of the JSON object, which SQLite, MySQL and
 * MariaDB extract with different functions and path syntaxes. Spring Boot hands this bean
 * to Flyway; a Flyway configured by hand needs it in {@code javaMigrations}.
 */
@Component
class TopProbabilityMigration implements JavaMigration {

	private static final int SLICE = 500;

	private final ProbabilitiesConverter json = new ProbabilitiesConverter();

	@Override
	public MigrationVersion getVersion() {
		return MigrationVersion.fromVersion("5");
	}

	@Override
	public String getDescription() {
		return "prediction top probability";
	}

	@Override
	public Integer getChecksum() {
		return null;
	}

	@Override
	public boolean canExecuteInTransaction() {
		return true;
	}

	@Override
	public void migrate(Context context) throws SQLException {
		Connection connection = context.getConnection();
		try (Statement alter = connection.createStatement()) {
			alter.execute("ALTER TABLE prediction ADD COLUMN top_probability DOUBLE");
		}
		try (PreparedStatement select = connection.prepareStatement(
				"SELECT id, label, probabilities FROM prediction WHERE id > ? ORDER BY id LIMIT " + SLICE);
				PreparedStatement update = connection
					.prepareStatement("UPDATE prediction SET top_probability = ? WHERE id = ?")) {
			long last = Long.MIN_VALUE;
			int read;
			do {
				read = 0;
				select.setLong(1, last);
				try (ResultSet rows = select.executeQuery()) {
					while (rows.next()) {
						last = rows.getLong(1);
						update.setDouble(1,
								json.convertToEntityAttribute(rows.getString(3)).getOrDefault(rows.getString(2), 0.0));
						update.setLong(2, last);
						update.addBatch();
						read++;
					}
				}
				update.executeBatch();
			}
			while (read == SLICE);
		}
	}

}
