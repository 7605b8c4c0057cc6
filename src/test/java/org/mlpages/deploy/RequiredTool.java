package org.mlpages.deploy;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A command-line tool a deploy test runs (sqlite3, shellcheck, systemd-analyze). A
 * developer's machine may lack it: the test is then skipped and says what to install. CI
 * sets the named variable to 1, and there a missing tool fails the test, since a skipped
 * test would hide that the shipped files were never checked.
 */
public final class RequiredTool {

	private RequiredTool() {
	}

	/**
	 * Skips the calling test unless {@code command} runs, or fails it when
	 * {@code requiredBy} is set to 1.
	 */
	public static void assumeInstalled(String command, String requiredBy, String debianPackage) {
		if (runs(command)) {
			return;
		}
		assume(false, requiredBy, command + " is not installed (Debian: apt-get install " + debianPackage + ")");
	}

	/**
	 * Skips the calling test unless {@code available}, or fails it when
	 * {@code requiredBy} is set to 1.
	 */
	public static void assume(boolean available, String requiredBy, String reason) {
		if (available) {
			return;
		}
		if ("1".equals(System.getenv(requiredBy))) {
			throw new AssertionError(requiredBy + "=1 and " + reason);
		}
		System.err.println("SKIPPED: " + reason + "; with " + requiredBy + "=1 this is a failure.");
		Assumptions.abort(reason);
	}

	private static boolean runs(String command) {
		try {
			Process process = new ProcessBuilder(command, "--version").redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return false;
			}
			return process.exitValue() == 0;
		}
		catch (IOException notFound) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
