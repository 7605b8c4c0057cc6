package org.mlpages.monitoring;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Writes the console's lines from one thread, many to a write: with a line per
 * prediction, thousands of request threads a second each took the console's lock for a
 * write of their own, some 17 % of the credit API's CPU per request (docs/benchmarks.md).
 * Here a request thread only queues its event; the writer formats what has gathered with
 * the console appender's own encoder and filters (the pattern, or the structured JSON
 * Spring Boot configured), so lines keep their form and their order. A quiet server's
 * line is written at once; under load lines wait at most {@link #LINGER} so that they
 * share a write. A request thread waits only when {@link #CAPACITY} lines are queued:
 * none is dropped. Lines still queued when the JVM is killed outright are lost; the
 * predictions they tell of are rows in the database. Not Logback's {@code AsyncAppender}:
 * it hands its appender one event at a time, so the console would still make one write
 * per line.
 */
final class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

	static final String NAME = "CONSOLE_BATCHED";

	static final int CAPACITY = 8192;

	static final Duration LINGER = Duration.ofMillis(10);

	private static final int MAX_BATCH = 1024;

	private final ConsoleAppender<ILoggingEvent> console;

	private final Encoder<ILoggingEvent> encoder;

	private final Supplier<PrintStream> out;

	private final BlockingQueue<ILoggingEvent> queue = new ArrayBlockingQueue<>(CAPACITY);

	private final Object writing = new Object();

	private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);

	private Thread writer;

	private BatchingConsoleAppender(ConsoleAppender<ILoggingEvent> console, Supplier<PrintStream> out) {
		this.console = console;
		this.encoder = console.getEncoder();
		this.out = out;
	}

	/**
	 * Puts the batching appender in place of the root logger's console appender (Spring
	 * Boot's {@code CONSOLE}); does nothing when it is already there or there is no
	 * console.
	 * @return whether the console is now written in batches
	 */
	static boolean replaceConsole(LoggerContext context) {
		return replaceConsole(context, null);
	}

	/**
	 * As {@link #replaceConsole(LoggerContext)}, writing to the given stream instead of
	 * the console appender's target.
	 */
	static boolean replaceConsole(LoggerContext context, Supplier<PrintStream> stream) {
		Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		if (root.getAppender(NAME) != null) {
			return true;
		}
		Appender<ILoggingEvent> appender = root.getAppender("CONSOLE");
		if (!(appender instanceof ConsoleAppender<ILoggingEvent> console) || console.getEncoder() == null) {
			return false;
		}
		// System.out of the moment: a test may have replaced it
		Supplier<PrintStream> out = (stream != null) ? stream
				: "System.err".equals(console.getTarget()) ? () -> System.err : () -> System.out;
		BatchingConsoleAppender batching = new BatchingConsoleAppender(console, out);
		batching.setContext(context);
		batching.setName(NAME);
		batching.start();
		// added first: a line logged meanwhile is written twice, not lost
		root.addAppender(batching);
		root.detachAppender(console);
		return true;
	}

	@Override
	public void start() {
		writer = new Thread(this::writeWhileStarted, "console-writer");
		writer.setDaemon(true);
		super.start();
		writer.start();
	}

	@Override
	protected void append(ILoggingEvent event) {
		// what the writer formats later is fixed now: the message, the thread's name, the
		// MDC
		event.prepareForDeferredProcessing();
		boolean interrupted = false;
		while (true) {
			try {
				queue.put(event);
				break;
			}
			catch (InterruptedException ex) {
				// the line is still written; the interrupt is the caller's to see
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	/** Writes every queued line before it returns. */
	@Override
	public void stop() {
		if (!isStarted()) {
			return;
		}
		super.stop();
		writer.interrupt();
		try {
			writer.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		List<ILoggingEvent> rest = new ArrayList<>();
		queue.drainTo(rest);
		write(rest);
	}

	private void writeWhileStarted() {
		List<ILoggingEvent> batch = new ArrayList<>();
		while (isStarted()) {
			try {
				batch.add(queue.take());
				queue.drainTo(batch, MAX_BATCH - 1);
				write(batch);
				batch.clear();
				Thread.sleep(LINGER.toMillis());
			}
			catch (InterruptedException ex) {
				// from take() or sleep(), with nothing taken and unwritten: stop() writes
				// the rest
				return;
			}
		}
	}

	private void write(List<ILoggingEvent> batch) {
		synchronized (writing) {
			buffer.reset();
			for (ILoggingEvent event : batch) {
				try {
					if (console.getFilterChainDecision(event) != FilterReply.DENY) {
						buffer.writeBytes(encoder.encode(event));
					}
				}
				catch (RuntimeException ex) {
					addError("could not format a log line", ex);
				}
			}
			if (buffer.size() == 0) {
				return;
			}
			PrintStream stream = out.get();
			try {
				// one write for all
				buffer.writeTo(stream);
			}
			catch (IOException ex) {
				addError("could not write the log lines", ex);
			}
			stream.flush();
		}
	}

}
