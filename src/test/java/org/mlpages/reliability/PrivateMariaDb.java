package org.mlpages.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.mlpages.deploy.RequiredTool;
import org.mlpages.jar.PackagedApp;

/**
 * A MariaDB server of the test's own, in a folder under {@code target/}, on a port of its
 * own: one a test may stop and start again in the middle of a load, which it must not do
 * to the machine's shared server. Root logs in from 127.0.0.1 with no password. Needs
 * Debian's {@code mariadb-server} (which {@code .ci/run} installs).
 */
final class PrivateMariaDb implements AutoCloseable {

	private final Path dir;

	private final int port;

	private Process server;

	private PrivateMariaDb(Path dir, int port) {
		this.dir = dir;
		this.port = port;
	}

	/** Installs a fresh server in {@code dir} and starts it. */
	static PrivateMariaDb start(Path dir) throws Exception {
		RequiredTool.assume(Files.isExecutable(Path.of("/usr/sbin/mariadbd")), "MLPAGES_REQUIRE_MARIADB",
				"no MariaDB server here (Debian: apt-get install mariadb-server)");
		Path data = dir.resolve("data");
		run(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + data, "--user=root",
				"--auth-root-authentication-method=normal", "--skip-test-db"));
		PrivateMariaDb mariaDb = new PrivateMariaDb(dir, PackagedApp.freePort());
		mariaDb.startServer();
		return mariaDb;
	}

	/** The URL the app is given, for a database it creates. */
	String url(String database) {
		return "jdbc:mysql://127.0.0.1:" + port + "/" + database + "?createDatabaseIfNotExist=true";
	}

	Connection connect(String database) throws SQLException {
		return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/" + database, "root", "");
	}

	/** As an operator's {@code systemctl stop mariadb}: SIGTERM, and wait for it. */
	void stop() throws InterruptedException {
		server.destroy();
		if (!server.waitFor(60, TimeUnit.SECONDS)) {
			server.destroyForcibly();
			server.waitFor(10, TimeUnit.SECONDS);
		}
	}

	/** Starts the stopped server on the same data and port. */
	void startServer() throws Exception {
		server = new ProcessBuilder("/usr/sbin/mariadbd", "--no-defaults", "--datadir=" + dir.resolve("data"),
				"--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mariadb.sock"), "--user=root",
				"--pid-file=" + dir.resolve("mariadb.pid"), "--log-error=" + dir.resolve("error.log"))
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("mariadbd.out").toFile())
			.start();
		Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
		while (Instant.now().isBefore(giveUp)) {
			if (!server.isAlive()) {
				throw new IllegalStateException("mariadbd stopped:\n" + Files.readString(dir.resolve("error.log")));
			}
			try (Connection connection = connect("mysql")) {
				return;
			}
			catch (SQLException notYet) {
				Thread.sleep(200);
			}
		}
		throw new IllegalStateException("mariadbd did not answer in 60 s");
	}

	@Override
	public void close() throws InterruptedException {
		if (server != null && server.isAlive()) {
			stop();
		}
	}

	private static void run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException(command.get(0) + " failed:\n" + output);
		}
	}

}
