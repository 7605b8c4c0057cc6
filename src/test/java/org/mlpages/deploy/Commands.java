package org.mlpages.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the commands an operator types (the deploy scripts, ssh, curl, podman), each with
 * a time limit, and keeps what they printed. They inherit this JVM's environment, so that
 * podman gets {@code CONTAINERS_CONF} and {@code CONTAINERS_STORAGE_CONF} where CI sets
 * them.
 */
final class Commands {

	private Commands() {
	}

	record Result(List<String> command, int exitCode, String output, Duration took) {

		boolean ok() {
			return exitCode == 0;
		}

		/** What to show when an assertion on it fails. */
		String describe() {
			return String.join(" ", command) + " -> exit " + exitCode + " after " + took.toSeconds() + " s:\n" + output;
		}

	}

	static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
		return run(timeout, command, null);
	}

	/**
	 * @param input a file given as standard input, or {@code null} for none
	 */
	static Result run(Duration timeout, List<String> command, Path input) throws IOException, InterruptedException {
		Path output = Files.createTempFile("command-", ".log");
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile());
			builder.redirectInput(input != null ? ProcessBuilder.Redirect.from(input.toFile())
					: ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
			long start = System.nanoTime();
			Process process = builder.start();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				process.waitFor(10, TimeUnit.SECONDS);
				throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout.toSeconds()
						+ " s:\n" + Files.readString(output));
			}
			return new Result(command, process.exitValue(), Files.readString(output),
					Duration.ofNanos(System.nanoTime() - start));
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	/** Whether {@code program} is on the PATH. */
	static boolean installed(String program) {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
			if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
				return true;
			}
		}
		return false;
	}

}
