package org.mlpages.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A database of its own on a real MySQL-compatible server for one test class:
 * {@code mlpages_test_<random>} with a user of the same name and a random password, both
 * dropped after the class. Declare it before {@code @SpringBootTest} so the database
 * exists before the application starts and is dropped after the application has stopped.
 * <p>
 * The server is MariaDB on 127.0.0.1:3306 as root with an empty password (what
 * {@code .ci/run} provides); {@code MLPAGES_TEST_MYSQL_URL},
 * {@code MLPAGES_TEST_MYSQL_USER} and {@code MLPAGES_TEST_MYSQL_PASSWORD} point
 * elsewhere. With no server the class is skipped, and says why; under CI
 * ({@code CI=true}) it fails instead, since a skipped test there would hide that MySQL
 * was never tested.
 */
public class MariaDbDatabase implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

	static final String ADMIN_URL = env("MLPAGES_TEST_MYSQL_URL", "jdbc:mysql://127.0.0.1:3306/");

	static final String ADMIN_USER = env("MLPAGES_TEST_MYSQL_USER", "root");

	static final String ADMIN_PASSWORD = env("MLPAGES_TEST_MYSQL_PASSWORD", "");

	private static final String NAME = "mlpages_test_" + randomHex(4);

	private static final String PASSWORD = "pw-" + randomHex(12);

	private static String unavailable;

	private static boolean probed;

	/** The database, which is also the user name. */
	public static String name() {
		return NAME;
	}

	/**
	 * The test user's password: it must never be printed, and the tests look for it in
	 * all output.
	 */
	public static String password() {
		return PASSWORD;
	}

	/** The URL the application is given, as a Streamlit table would produce it. */
	public static String host() {
		return hostAndPort()[0];
	}

	public static int port() {
		return Integer.parseInt(hostAndPort()[1]);
	}

	private static String[] hostAndPort() {
		String rest = ADMIN_URL.substring("jdbc:mysql://".length());
		String authority = rest.substring(0, rest.indexOf('/') >= 0 ? rest.indexOf('/') : rest.length());
		int colon = authority.lastIndexOf(':');
		return colon > 0 ? new String[] { authority.substring(0, colon), authority.substring(colon + 1) }
				: new String[] { authority, "3306" };
	}

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		String reason = unavailable();
		if (reason == null) {
			return ConditionEvaluationResult.enabled("a MySQL-compatible server answers at " + ADMIN_URL);
		}
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			// runs, and fails in beforeAll with the reason: under CI MySQL support must
			// be tested
			return ConditionEvaluationResult.enabled("CI=true: no skipping");
		}
		String message = "SKIPPED " + context.getDisplayName() + ": no MySQL/MariaDB server at " + ADMIN_URL + " ("
				+ reason + "). Start MariaDB (see README) to run it; under CI=true this is a failure.";
		System.err.println(message);
		return ConditionEvaluationResult.disabled(message);
	}

	@Override
	public void beforeAll(ExtensionContext context) throws SQLException {
		String reason = unavailable();
		if (reason != null) {
			throw new IllegalStateException("CI=true and no MySQL/MariaDB server at " + ADMIN_URL + ": " + reason);
		}
		try (Connection connection = admin(); Statement sql = connection.createStatement()) {
			sql.execute("CREATE DATABASE " + NAME + " CHARACTER SET utf8mb4");
			for (String host : new String[] { "%", "localhost" }) {
				sql.execute("CREATE USER '" + NAME + "'@'" + host + "' IDENTIFIED BY '" + PASSWORD + "'");
				sql.execute("GRANT ALL PRIVILEGES ON " + NAME + ".* TO '" + NAME + "'@'" + host + "'");
			}
		}
	}

	@Override
	public void afterAll(ExtensionContext context) throws SQLException {
		if (unavailable() != null) {
			return;
		}
		try (Connection connection = admin(); Statement sql = connection.createStatement()) {
			sql.execute("DROP DATABASE IF EXISTS " + NAME);
			sql.execute("DROP USER IF EXISTS '" + NAME + "'@'%', '" + NAME + "'@'localhost'");
		}
	}

	/**
	 * Writes a file with the given content, creating its folder: the tests' secrets
	 * files.
	 */
	public static Path write(Path file, String content) {
		try {
			Files.createDirectories(file.getParent());
			return Files.writeString(file, content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Whether {@code database} exists on the server, asked as the administrator. */
	public static boolean databaseExists(String database) throws SQLException {
		try (Connection connection = admin();
				var query = connection
					.prepareStatement("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
			query.setString(1, database);
			try (var rows = query.executeQuery()) {
				rows.next();
				return rows.getInt(1) > 0;
			}
		}
	}

	private static synchronized String unavailable() {
		if (!probed) {
			probed = true;
			try (Connection connection = admin()) {
				connection.isValid(2);
			}
			catch (SQLException ex) {
				unavailable = ex.getMessage().lines().findFirst().orElse(ex.getClass().getSimpleName());
			}
		}
		return unavailable;
	}

	private static Connection admin() throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", ADMIN_USER);
		properties.setProperty("password", ADMIN_PASSWORD);
		properties.setProperty("connectTimeout", "2000");
		return DriverManager.getConnection(ADMIN_URL, properties);
	}

	private static String randomHex(int bytes) {
		byte[] random = new byte[bytes];
		new SecureRandom().nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return value == null || value.isEmpty() ? fallback : value;
	}

}
