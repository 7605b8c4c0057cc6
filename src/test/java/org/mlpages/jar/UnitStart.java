package org.mlpages.jar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.mlpages.deploy.ServiceUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar started as the systemd unit starts it, and as the container image
 * does: through bin/run-prepared.sh (the jar extracted, a class cache, Spring's AOT mode)
 * with the unit's Java options and environment. The tests about the fat jar itself start
 * {@link PackagedApp#javaJar()}.
 *
 * @param command bin/run-prepared.sh, the jar, then any arguments added
 * @param environment the unit's
 */
public record UnitStart(List<String> command, Map<String, String> environment) {

	private static final Path RUN_PREPARED = Path.of("bin/run-prepared.sh").toAbsolutePath();

	private static boolean prepared;

	/** Prepared once per run before the first start, as the unit's first start does. */
	public static UnitStart prepared() throws Exception {
		ServiceUnit unit = ServiceUnit.shipped();
		Map<String, String> environment = new HashMap<>();
		environment.put("MALLOC_ARENA_MAX", unit.environment().get("MALLOC_ARENA_MAX"));
		environment.put("TF_CPP_MIN_LOG_LEVEL", "1");
		environment.put("JAVA_OPTS", String.join(" ", unit.javaOptions()));
		environment.put("JAVA_HOME", System.getProperty("java.home"));
		environment.put("MLPAGES_START_DIR", Path.of(PackagedApp.CACHE_DIR, "start").toAbsolutePath().toString());
		environment.put("MLPAGES_CACHE_DIR", PackagedApp.CACHE_DIR);
		String jar = PackagedApp.javaJar().get(2);
		prepareOnce(jar, environment);
		return new UnitStart(List.of(RUN_PREPARED.toString(), jar), Map.copyOf(environment));
	}

	/** The same start with these arguments for the app too. */
	public UnitStart with(String... arguments) {
		List<String> more = new ArrayList<>(command);
		more.addAll(List.of(arguments));
		return new UnitStart(List.copyOf(more), environment);
	}

	/** The same start with this variable in its environment too. */
	public UnitStart withEnvironment(String name, String value) {
		Map<String, String> more = new HashMap<>(environment);
		more.put(name, value);
		return new UnitStart(command, Map.copyOf(more));
	}

	/** {@link PackagedApp#start} with this command and environment. */
	public PackagedApp start(Path dir, int port) throws IOException, InterruptedException {
		return PackagedApp.start(command, environment, dir, port);
	}

	/** {@link PackagedApp#start} with this command and environment, on this database. */
	public PackagedApp start(Path dir, int port, String databaseUrl) throws IOException, InterruptedException {
		return PackagedApp.start(command, environment, dir, port, databaseUrl);
	}

	/**
	 * What the unit's first start of a release does, done once before the tests' starts,
	 * some of which start together (several instances).
	 */
	private static synchronized void prepareOnce(String jar, Map<String, String> environment) throws Exception {
		if (prepared) {
			return;
		}
		Path log = Files.createDirectories(Path.of(PackagedApp.CACHE_DIR)).resolve("prepare-start.log");
		ProcessBuilder preparation = new ProcessBuilder(RUN_PREPARED.toString(), "--prepare-only", jar)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		preparation.environment().putAll(environment);
		Process process = preparation.start();
		assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the start prepared within 5 minutes").isTrue();
		assertThat(process.exitValue()).as("bin/run-prepared.sh --prepare-only:%n%s", Files.readString(log)).isZero();
		prepared = true;
	}

}
