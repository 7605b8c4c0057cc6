package org.mlpages.system;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpages.MlPagesApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A second mlpages process started on the SQLite file another one runs on stops at once
 * and says why, without touching the file; once the first is gone (even killed), the file
 * is free again.
 */
class SqliteSingleInstanceTests {

	@TempDir
	Path dir;

	@Test
	void aSecondInstanceOnTheSameFileStopsAndSaysWhatToDo() throws Exception {
		Path database = dir.resolve("data").resolve("mlpages.db");
		Files.createDirectories(database.getParent());
		Path lockFile = Path.of(database + ".lock");
		Holder first = holdLock(lockFile);
		assertThat(first.said()).isEqualTo("locked");
		try {
			Throwable refused = catchThrowable(() -> {
				// as an operator starts it: the database named on the command line
				new SpringApplicationBuilder(MlPagesApplication.class)
					.run("--spring.datasource.url=jdbc:sqlite:" + database, "--server.port=0",
							"--mlpages.data-dir=" + dir.resolve("data"))
					.close();
			});
			assertThat(refused).isInstanceOf(SqliteInUseException.class);

			// the report Spring Boot prints in place of a stack trace (printed through
			// the logging of whichever application configured it first in this JVM, so
			// read from the analyzer rather than from the console)
			FailureAnalysis report = new SqliteInUseFailureAnalyzer().analyze(refused);
			assertThat(report.getDescription())
				.startsWith("Another mlpages is running on the SQLite database " + database)
				.endsWith("A SQLite file serves one instance.");
			assertThat(report.getAction()).contains("give them one MariaDB or MySQL database");
			assertThat(database).as("the other instance's file untouched").doesNotExist();
		}
		finally {
			first.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}

		// killed, the first instance's lock went with it
		SqliteSingleInstance.acquire(lockFile.toAbsolutePath(), database);
		SqliteSingleInstance.release(lockFile.toAbsolutePath());
	}

	@Test
	void applicationsInOneProcessShareTheLock() throws Exception {
		Path lockFile = dir.resolve("shared.db.lock").toAbsolutePath();
		SqliteSingleInstance.acquire(lockFile, dir.resolve("shared.db"));
		SqliteSingleInstance.acquire(lockFile, dir.resolve("shared.db"));
		SqliteSingleInstance.release(lockFile);
		Holder other = holdLock(lockFile);
		other.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		assertThat(other.said()).as("still held for the second user in this process").isEqualTo("taken");

		SqliteSingleInstance.release(lockFile);
		Holder after = holdLock(lockFile);
		after.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		assertThat(after.said()).as("released by the last user").isEqualTo("locked");
	}

	/**
	 * Another Java process that takes the lock as an mlpages would and keeps it until
	 * killed; it ends with status 3 if the lock is taken already.
	 */
	private static Holder holdLock(Path lockFile) throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				LockHolder.class.getName(), lockFile.toString())
			.redirectErrorStream(true)
			.start();
		BufferedReader lines = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		return new Holder(process, lines.readLine());
	}

	private record Holder(Process process, String said) {
	}

	/** The other process. */
	public static final class LockHolder {

		public static void main(String[] args) throws Exception {
			FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE);
			if (channel.tryLock() == null) {
				System.out.println("taken");
				System.out.flush();
				System.exit(3);
			}
			System.out.println("locked");
			System.out.flush();
			Thread.sleep(Long.MAX_VALUE);
		}

	}

}
