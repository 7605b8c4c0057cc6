package org.mlpages.monitoring;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.slf4j.LoggerFactory;

import org.springframework.boot.test.system.CapturedOutput;

/**
 * The console's lines as an operator would read them once written: the console is written
 * from its own thread ({@link BatchingConsoleAppender}), so a test that reads the
 * captured output right after a request first logs a marker and waits for it; lines keep
 * their order, so every line logged before the marker is then there too.
 */
public final class WrittenLines {

	private WrittenLines() {
	}

	/** Everything written to the captured output once the lines logged so far are. */
	public static String of(CapturedOutput output) {
		String marker = "lines written up to " + UUID.randomUUID();
		LoggerFactory.getLogger(WrittenLines.class).warn(marker);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!output.getAll().contains(marker)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("the console did not write a line within 10 s");
			}
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("interrupted", ex);
			}
		}
		return output.getAll();
	}

}
