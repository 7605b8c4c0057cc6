package org.mlpages.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command run to its end, its output (stdout and stderr together) kept. */
record Command(int exitCode, String output) {

	static Command run(List<String> command) {
		return run(command, Map.of());
	}

	static Command run(List<String> command, Map<String, String> environment) {
		try {
			Path output = Files.createTempFile("mlpages-command-", ".log");
			try {
				ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(output.toFile());
				builder.environment().putAll(environment);
				Process process = builder.start();
				if (!process.waitFor(5, TimeUnit.MINUTES)) {
					process.destroyForcibly();
					throw new AssertionError(command + " did not finish in 5 minutes:\n" + Files.readString(output));
				}
				return new Command(process.exitValue(), Files.readString(output));
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String toString() {
		return "exit " + exitCode + ":\n" + output;
	}

}
