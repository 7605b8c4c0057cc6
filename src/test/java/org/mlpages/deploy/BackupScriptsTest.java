package org.mlpages.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator sees when a backup or a restore cannot be done, and the backups kept:
 * each refusal has its exit code and a line that says why, and changes nothing. The whole
 * path, under load with the real app, is {@code BackupUnderLoadIT}'s.
 */
class BackupScriptsTest {

	private static final String BACKUP = Path.of("deploy/backup/mlpages-backup.sh").toAbsolutePath().toString();

	private static final String RESTORE = Path.of("deploy/backup/mlpages-restore.sh").toAbsolutePath().toString();

	@TempDir
	Path dir;

	@BeforeAll
	static void sqlite3() {
		RequiredTool.assumeInstalled("sqlite3", "MLPAGES_REQUIRE_SQLITE3", "sqlite3");
	}

	@Test
	void keepsTheNewestBackupsItWasToldToKeep() throws IOException {
		Path db = database("mlpages.db", 3);
		Path backups = Files.createDirectories(dir.resolve("backups"));
		for (String old : List.of("mlpages-20240101T030000Z.db.gz", "mlpages-20240102T030000Z.db.gz",
				"mlpages-20240103T030000Z.db")) {
			Files.writeString(backups.resolve(old), "an older backup");
		}
		Files.writeString(backups.resolve("notes.txt"), "the operator's own file");

		Command backup = Command.run(List.of(BACKUP, "--db", db.toString(), "--dir", backups.toString(), "--keep", "2",
				"--uploads", "none"));

		assertThat(backup.exitCode()).as(backup.toString()).isZero();
		assertThat(names(backups)).hasSize(3)
			.contains("mlpages-20240103T030000Z.db", "notes.txt")
			.anyMatch(name -> name.matches("mlpages-\\d{8}T\\d{6}Z\\.db\\.gz"));
		assertThat(backup.output()).contains("deleted old backup " + backups + "/mlpages-20240101T030000Z.db.gz")
			.contains("deleted old backup " + backups + "/mlpages-20240102T030000Z.db.gz");
	}

	@Test
	void refusesWhatItCannotDo() throws IOException {
		Command noDatabase = Command.run(
				List.of(BACKUP, "--db", dir.resolve("none.db").toString(), "--dir", dir.resolve("backups").toString()));
		assertThat(noDatabase.exitCode()).isEqualTo(3);
		assertThat(noDatabase.output()).contains("FAILED: no readable database at " + dir.resolve("none.db"));

		Command badKeep = Command.run(List.of(BACKUP, "--keep", "0"));
		assertThat(badKeep.exitCode()).isEqualTo(2);
		assertThat(badKeep.output()).contains("--keep must be a whole number of at least 1, not '0'");

		Command badCompression = Command.run(List.of(BACKUP, "--compress", "rar"));
		assertThat(badCompression.exitCode()).isEqualTo(2);
		assertThat(badCompression.output()).contains("--compress must be gzip, zstd or none, not 'rar'");
	}

	@Test
	void aBackupIsCheckedBeforeTheAppIsStopped() throws IOException {
		Path db = database("mlpages.db", 2);
		Path hooks = dir.resolve("hooks.log");
		Map<String, String> environment = Map.of("MLPAGES_STOP_COMMAND", "echo stop >> '" + hooks + "'",
				"MLPAGES_START_COMMAND", "echo start >> '" + hooks + "'");
		Path notADatabase = Files.writeString(dir.resolve("mlpages-20240101T030000Z.db"), "not a database");
		Path damaged = dir.resolve("mlpages-20240102T030000Z.db.gz");
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(damaged))) {
			out.write("not a database either".getBytes(StandardCharsets.UTF_8));
		}
		Path foreign = dir.resolve("other.db");
		Command.run(List.of("sqlite3", foreign.toString(), "CREATE TABLE t (x)"));

		Command restoreNotADatabase = Command.run(List.of(RESTORE, "--db", db.toString(), notADatabase.toString()),
				environment);
		Command restoreDamaged = Command.run(List.of(RESTORE, "--db", db.toString(), damaged.toString()), environment);
		Command restoreForeign = Command.run(List.of(RESTORE, "--db", db.toString(), foreign.toString()), environment);

		assertThat(restoreNotADatabase.exitCode()).as(restoreNotADatabase.toString()).isEqualTo(3);
		assertThat(restoreNotADatabase.output()).contains("cannot read " + notADatabase)
			.contains("as a SQLite database, nothing changed");
		assertThat(restoreDamaged.exitCode()).as(restoreDamaged.toString()).isEqualTo(3);
		assertThat(restoreDamaged.output()).contains("failed its integrity check, nothing changed");
		assertThat(restoreForeign.exitCode()).as(restoreForeign.toString()).isEqualTo(3);
		assertThat(restoreForeign.output()).contains("is not a mlpages database (no prediction table)");
		assertThat(hooks).as("the app was never stopped").doesNotExist();
		assertThat(names(dir)).containsExactlyInAnyOrder("mlpages.db", "mlpages-20240101T030000Z.db",
				"mlpages-20240102T030000Z.db.gz", "other.db");
		assertThat(rows(db)).isEqualTo("2");
	}

	/**
	 * After an unclean stop the database's last rows may still be in its -wal file. The
	 * restore keeps that file with the copy it puts aside, and restoring that copy brings
	 * every row back.
	 */
	@Test
	void theCopyKeptAsideAfterACrashComesBackWhole() throws Exception {
		Path db = dir.resolve("mlpages.db");
		Path crashed = dir.resolve("crashed.db");
		try (Connection app = DriverManager.getConnection("jdbc:sqlite:" + db); Statement sql = app.createStatement()) {
			sql.execute("PRAGMA journal_mode=WAL");
			sql.execute("PRAGMA wal_autocheckpoint=0");
			sql.execute("CREATE TABLE prediction (id INTEGER PRIMARY KEY, label TEXT)");
			for (int i = 0; i < 5; i++) {
				sql.execute("INSERT INTO prediction (label) VALUES ('good')");
			}
			// the files as a power cut leaves them: the rows are in the WAL only
			Files.copy(db, crashed);
			Files.copy(dir.resolve("mlpages.db-wal"), dir.resolve("crashed.db-wal"));
		}
		Files.delete(db);
		Files.move(crashed, db);
		Files.move(dir.resolve("crashed.db-wal"), dir.resolve("mlpages.db-wal"));
		Path backup = database("mlpages-20240101T030000Z.db", 1);

		Command restore = Command.run(List.of(RESTORE, "--db", db.toString(), "--uploads", "none", "--stop", "true",
				"--start", "true", backup.toString()));
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		assertThat(rows(db)).isEqualTo("1");
		Path kept;
		try (Stream<Path> files = Files.list(dir)) {
			kept = files.filter(f -> f.getFileName().toString().matches("mlpages\\.db\\.before-restore-\\d{8}T\\d{6}Z"))
				.findFirst()
				.orElseThrow();
		}
		assertThat(Path.of(kept + "-wal")).as("the WAL kept with its database").exists();
		assertThat(dir.resolve("mlpages.db-wal")).doesNotExist();

		Command back = Command.run(List.of(RESTORE, "--db", db.toString(), "--uploads", "none", "--stop", "true",
				"--start", "true", kept.toString()));
		assertThat(back.exitCode()).as(back.toString()).isZero();
		assertThat(back.output()).contains("holds 5 prediction(s)");
		assertThat(rows(db)).isEqualTo("5");
	}

	@Test
	void anAppThatDoesNotStopKeepsItsDatabase() throws IOException {
		Path db = database("mlpages.db", 2);
		Path backup = database("mlpages-20240101T030000Z.db", 1);

		Command restore = Command
			.run(List.of(RESTORE, "--db", db.toString(), "--stop", "exit 1", "--start", "true", backup.toString()));

		assertThat(restore.exitCode()).as(restore.toString()).isEqualTo(4);
		assertThat(restore.output()).contains("FAILED: 'exit 1' failed; nothing changed");
		assertThat(rows(db)).isEqualTo("2");
		assertThat(names(dir)).containsExactlyInAnyOrder("mlpages.db", "mlpages-20240101T030000Z.db");
	}

	@Test
	void anUnknownOptionSaysHowToUseIt() {
		Command restore = Command.run(List.of(RESTORE, "--force", "x.db"));
		assertThat(restore.exitCode()).isEqualTo(2);
		assertThat(restore.output()).contains("unknown option: --force").contains("mlpages-restore.sh [--db FILE]");
	}

	private Path database(String name, int predictions) {
		Path db = dir.resolve(name);
		StringBuilder sql = new StringBuilder("CREATE TABLE prediction (id INTEGER PRIMARY KEY, label TEXT);");
		for (int i = 0; i < predictions; i++) {
			sql.append("INSERT INTO prediction (label) VALUES ('good');");
		}
		Command made = Command.run(List.of("sqlite3", db.toString(), sql.toString()));
		assertThat(made.exitCode()).as(made.toString()).isZero();
		return db;
	}

	private static String rows(Path db) {
		return Command.run(List.of("sqlite3", db.toString(), "SELECT count(*) FROM prediction")).output().strip();
	}

	private static List<String> names(Path folder) throws IOException {
		try (Stream<Path> files = Files.list(folder)) {
			return files.map(f -> f.getFileName().toString()).filter(name -> !name.startsWith(".")).toList();
		}
	}

}
