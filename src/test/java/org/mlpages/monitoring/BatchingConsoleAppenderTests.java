package org.mlpages.monitoring;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console written in batches: every line once, in each thread's order, in the
 * console's own format and filters, many lines to a write, nothing queued lost at stop,
 * and a lone line written without waiting for more.
 */
class BatchingConsoleAppenderTests {

	private final LoggerContext context = new LoggerContext();

	private final RecordedStream stream = new RecordedStream();

	private final PrintStream out = new PrintStream(stream, true, StandardCharsets.UTF_8);

	private ConsoleAppender<ILoggingEvent> console;

	@BeforeEach
	void consoleAsSpringBootMakesIt() {
		context.setMDCAdapter(new LogbackMDCAdapter());
		PatternLayoutEncoder encoder = new PatternLayoutEncoder();
		encoder.setContext(context);
		encoder.setPattern("%thread|%level|%msg%n");
		encoder.start();
		console = new ConsoleAppender<>();
		console.setContext(context);
		console.setName("CONSOLE");
		console.setEncoder(encoder);
		console.start();
		root().addAppender(console);
	}

	@AfterEach
	void stop() {
		context.stop();
	}

	@Test
	void everyLineIsWrittenOnceInItsThreadsOrderManyToAWrite() throws Exception {
		assertThat(BatchingConsoleAppender.replaceConsole(context, () -> out)).isTrue();
		stream.holdWrites();
		Logger log = context.getLogger("org.mlpages.predictions");
		log.info("first");
		assertThat(stream.aWriteIsHeld.await(10, TimeUnit.SECONDS)).as("the writer took the first line").isTrue();
		// while the writer is held, four threads log a thousand lines each
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			Thread thread = new Thread(() -> {
				for (int i = 0; i < 1000; i++) {
					log.info("line {}", i);
				}
			}, "request-" + t);
			threads.add(thread);
			thread.start();
		}
		for (Thread thread : threads) {
			thread.join();
		}
		stream.releaseWrites();
		context.stop();

		List<String> lines = stream.text().lines().toList();
		assertThat(lines).hasSize(4001).first().isEqualTo("main|INFO|first");
		for (int t = 0; t < 4; t++) {
			String thread = "request-" + t + "|INFO|line ";
			List<Integer> numbers = lines.stream()
				.filter(line -> line.startsWith(thread))
				.map(line -> Integer.valueOf(line.substring(thread.length())))
				.toList();
			assertThat(numbers).as(thread).hasSize(1000).isSorted().doesNotHaveDuplicates();
		}
		// the first line alone, then the 4000 queued in batches of at most 1024, then
		// what stop() found
		assertThat(stream.writes.get()).isBetween(2, 7);
	}

	@Test
	void aLoneLineIsWrittenWithoutWaitingForMore() throws Exception {
		BatchingConsoleAppender.replaceConsole(context, () -> out);

		context.getLogger("org.mlpages.predictions").info("prediction 7 answered");

		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!stream.text().contains("prediction 7 answered") && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(stream.text()).isEqualTo("main|INFO|prediction 7 answered\n");
	}

	@Test
	void linesTheConsoleFilterRefusesAreNotWritten() {
		ThresholdFilter warnings = new ThresholdFilter();
		warnings.setLevel("WARN");
		warnings.start();
		console.addFilter(warnings);
		BatchingConsoleAppender.replaceConsole(context, () -> out);

		context.getLogger("org.mlpages").info("said");
		context.getLogger("org.mlpages").warn("warned");
		context.stop();

		assertThat(stream.text()).isEqualTo("main|WARN|warned\n");
	}

	@Test
	void theConsoleIsReplacedOnceAndNothingIsWrittenTwice() {
		assertThat(BatchingConsoleAppender.replaceConsole(context, () -> out)).isTrue();
		assertThat(BatchingConsoleAppender.replaceConsole(context, () -> out)).isTrue();

		context.getLogger("org.mlpages").info("once");
		context.stop();

		assertThat(root().getAppender("CONSOLE")).isNull();
		assertThat(stream.text()).isEqualTo("main|INFO|once\n");
	}

	@Test
	void withoutAConsoleNothingIsReplaced() {
		root().detachAppender(console);

		assertThat(BatchingConsoleAppender.replaceConsole(context, () -> out)).isFalse();
		assertThat(root().getAppender(BatchingConsoleAppender.NAME)).isNull();
	}

	@Test
	void linesAreFormattedAsTheyWereWhenLogged() {
		BatchingConsoleAppender.replaceConsole(context, () -> out);
		stream.holdWrites();
		Logger log = context.getLogger("org.mlpages");
		log.info("first");
		StringBuilder changing = new StringBuilder("before");
		log.info("{}", changing);
		changing.replace(0, changing.length(), "after");
		stream.releaseWrites();
		context.stop();

		assertThat(stream.text()).isEqualTo("main|INFO|first\nmain|INFO|before\n");
	}

	private Logger root() {
		Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		root.setLevel(Level.INFO);
		return root;
	}

	/** Counts the writes it gets; can hold the first one until released. */
	private static final class RecordedStream extends OutputStream {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		final AtomicInteger writes = new AtomicInteger();

		final CountDownLatch aWriteIsHeld = new CountDownLatch(1);

		private volatile CountDownLatch release;

		void holdWrites() {
			release = new CountDownLatch(1);
		}

		void releaseWrites() {
			release.countDown();
		}

		@Override
		public void write(int b) {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] b, int off, int len) {
			CountDownLatch held = release;
			if (held != null) {
				aWriteIsHeld.countDown();
				try {
					held.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			writes.incrementAndGet();
			synchronized (bytes) {
				bytes.write(b, off, len);
			}
		}

		String text() {
			synchronized (bytes) {
				return bytes.toString(StandardCharsets.UTF_8);
			}
		}

	}

}
