package org.mlpages.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * One mlpages per SQLite file. Two instances on one file would each believe they are
 * alone: each would run the retention, resume the same batches and serve its own idea of
 * a published model. The first to start holds a lock on {@code <database>.lock} for as
 * long as it runs (the system drops it when the process ends, even killed); a second
 * process is refused at once, with what to do instead: a shared MariaDB or MySQL.
 * <p>
 * Applications started in the same process (the tests) share the lock: they are one
 * instance to the outside.
 */
class SqliteSingleInstance implements EnvironmentPostProcessor, Ordered {

	private static final Map<Path, Held> HELD = new HashMap<>();

	private record Held(FileChannel channel, FileLock lock, int users) {
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Path database = SqliteDirectoryPreparer.databaseFile(environment.getProperty("spring.datasource.url"));
		if (database == null) {
			return;
		}
		Path lockFile = Path.of(database + ".lock").toAbsolutePath().normalize();
		acquire(lockFile, database);
		application.addListeners(event -> {
			// closed, or failed to start: either way this application is done with the
			// file
			if (event instanceof ContextClosedEvent || event instanceof ApplicationFailedEvent) {
				release(lockFile);
			}
		});
	}

	static synchronized void acquire(Path lockFile, Path database) {
		Held held = HELD.get(lockFile);
		if (held != null) {
			HELD.put(lockFile, new Held(held.channel(), held.lock(), held.users() + 1));
			return;
		}
		FileChannel channel = null;
		try {
			channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
			FileLock lock = channel.tryLock();
			if (lock == null) {
				channel.close();
				throw new SqliteInUseException(database, lockFile);
			}
			HELD.put(lockFile, new Held(channel, lock, 1));
		}
		catch (OverlappingFileLockException ex) {
			// held in this process by a channel this class did not open: treated as ours
			closeQuietly(channel);
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw new UncheckedIOException("Cannot open " + lockFile, ex);
		}
	}

	static synchronized void release(Path lockFile) {
		Held held = HELD.get(lockFile);
		if (held == null) {
			return;
		}
		if (held.users() > 1) {
			HELD.put(lockFile, new Held(held.channel(), held.lock(), held.users() - 1));
			return;
		}
		HELD.remove(lockFile);
		closeQuietly(held.channel());
	}

	private static void closeQuietly(FileChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// the lock goes with the process anyway
			}
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
