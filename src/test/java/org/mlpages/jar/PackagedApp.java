package org.mlpages.jar;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The jar Maven packaged, run in a JVM of its own as an operator runs it, on a folder of
 * its own (database, uploads) and this build's caches: started, waited for until every
 * model has loaded, stopped. Started again on the same folder and port, it is the same
 * app after a restart.
 */
public final class PackagedApp implements AutoCloseable {

	// natives and converted models as the other tests left them
	public static final String CACHE_DIR = "target/test-cache";

	private final Process process;

	private final URI base;

	private final Path log;

	private PackagedApp(Process process, URI base, Path log) {
		this.process = process;
		this.base = base;
		this.log = log;
	}

	/** A folder of its own under {@code target/}. */
	public static Path workDir() throws IOException {
		return Files.createDirectories(Path.of("target/packaged-jar-it", UUID.randomUUID().toString()))
			.toAbsolutePath();
	}

	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** {@code java -jar} the packaged jar with the JVM running the tests. */
	public static List<String> javaJar() throws IOException {
		return List.of(Path.of(System.getProperty("java.home"), "bin/java").toString(), "-jar",
				packagedJar().toString());
	}

	/**
	 * Starts the app and returns once {@code /actuator/health/model-states} answers 200.
	 * @param start the command (java -jar, or a prepared start.sh)
	 */
	public static PackagedApp start(List<String> start, Map<String, String> environment, Path dir, int port)
			throws IOException, InterruptedException {
		return start(start, environment, dir, port, "jdbc:sqlite:" + dir.resolve("mlpages.db"));
	}

	/** As above, on this database instead of a SQLite file in the folder. */
	public static PackagedApp start(List<String> start, Map<String, String> environment, Path dir, int port,
			String databaseUrl) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(start);
		// each unless the command gives it (a folder shared by several instances): given
		// twice, Spring would join both values
		for (String option : List.of("--server.port=" + port, "--server.address=127.0.0.1",
				"--mlpages.data-dir=" + dir.resolve("data"), "--mlpages.uploads-dir=" + dir.resolve("uploads"),
				"--mlpages.cache-dir=" + CACHE_DIR, "--spring.datasource.url=" + databaseUrl)) {
			String name = option.substring(0, option.indexOf('=') + 1);
			if (start.stream().noneMatch(given -> given.startsWith(name))) {
				command.add(option);
			}
		}
		Path log = Files.createTempFile(dir, "app-", ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().putAll(environment);
		PackagedApp app = new PackagedApp(builder.start(), URI.create("http://127.0.0.1:" + port), log);
		try {
			app.waitForHealth();
		}
		catch (IOException | InterruptedException | RuntimeException | AssertionError ex) {
			app.close();
			throw ex;
		}
		return app;
	}

	public URI base() {
		return base;
	}

	public URI uri(String path) {
		return base.resolve(path);
	}

	public String log() throws IOException {
		return Files.readString(log);
	}

	/** The JVM's process id (the command runs java itself). */
	public long pid() {
		return process.pid();
	}

	/** {@code kill -9}: no shutdown hook, nothing flushed. */
	public void kill() throws InterruptedException {
		process.destroyForcibly();
		process.waitFor(10, TimeUnit.SECONDS);
	}

	/**
	 * SIGTERM, as systemd and podman stop it; returns the exit status once it has
	 * stopped.
	 */
	public int terminate(Duration patience) throws InterruptedException {
		process.destroy();
		if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError("still running " + patience.toSeconds() + " s after SIGTERM");
		}
		return process.exitValue();
	}

	/** Stops it as a service manager does (SIGTERM), and kills it if it does not stop. */
	@Override
	public void close() throws InterruptedException {
		process.destroy();
		if (!process.waitFor(20, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			process.waitFor(10, TimeUnit.SECONDS);
		}
	}

	private void waitForHealth() throws IOException, InterruptedException {
		HttpClient http = HttpClient.newHttpClient();
		Instant giveUp = Instant.now().plus(Duration.ofMinutes(3));
		while (Instant.now().isBefore(giveUp)) {
			if (!process.isAlive()) {
				throw new AssertionError("the app stopped:\n" + log());
			}
			try {
				HttpResponse<String> health = http.send(
						HttpRequest.newBuilder(base.resolve("/actuator/health/model-states")).build(),
						HttpResponse.BodyHandlers.ofString());
				// the image models load in the background: 503 until each has loaded
				if (health.statusCode() == 200) {
					return;
				}
			}
			catch (IOException notListeningYet) {
				// the server is still starting
			}
			Thread.sleep(250);
		}
		throw new AssertionError("the app did not become healthy in 3 minutes:\n" + log());
	}

	private static Path packagedJar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter(f -> f.getFileName().toString().matches("mlpages-.*\\.jar"))
				.findFirst()
				.orElseThrow()
				.toAbsolutePath();
		}
	}

}
