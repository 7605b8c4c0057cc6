package org.mlpages.reliability;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * The prediction log as the tests read it behind the app's back, on SQLite or MariaDB:
 * how many rows, and which answered ids have none.
 */
final class PredictionRows {

	@FunctionalInterface
	interface Database {

		Connection connect() throws SQLException;

	}

	private final Database database;

	PredictionRows(Database database) {
		this.database = database;
	}

	long count() throws SQLException {
		return longOf("select count(*) from prediction");
	}

	/** Rows a crash could have left without their answer: none may exist. */
	long halfWritten() throws SQLException {
		return longOf("select count(*) from prediction where label is null or probabilities is null");
	}

	/** The answered ids the log does not hold. */
	Set<Long> missing(Set<Long> ids) throws SQLException {
		Set<Long> present = new HashSet<>();
		try (Connection connection = database.connect();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select id from prediction")) {
			while (rows.next()) {
				present.add(rows.getLong(1));
			}
		}
		Set<Long> missing = new HashSet<>(ids);
		missing.removeAll(present);
		return missing;
	}

	private long longOf(String query) throws SQLException {
		try (Connection connection = database.connect();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(query)) {
			result.next();
			return result.getLong(1);
		}
	}

}
