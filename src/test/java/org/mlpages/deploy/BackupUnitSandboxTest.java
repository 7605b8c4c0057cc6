package org.mlpages.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backup unit's sandbox, as far as a machine without systemd as PID 1 can build it:
 * in a mount namespace of its own, the server's folders (a temporary folder mounted on
 * {@code /var/lib}), the script where the unit starts it, the unit's
 * {@code StateDirectory} made for the service's user, every mount read-only but the
 * unit's {@code ReadWritePaths} and the state directory ({@code ProtectSystem=strict}), a
 * private {@code /tmp}, then the unit's {@code ExecStart} with its {@code Environment},
 * {@code UMask} and {@code NoNewPrivileges}, as an unprivileged user standing in for
 * {@code mlpages}. The settings are read from the shipped unit, so a change there is what
 * is tested. Not exercised: the system call filter, the capability and address-family
 * limits, {@code PrivateDevices}/{@code PrivateNetwork} and the timer's scheduling, which
 * need systemd itself.
 */
class BackupUnitSandboxTest {

	private static final Path UNIT = Path.of("deploy/systemd/mlpages-backup.service");

	private static final Path SCRIPT = Path.of("deploy/backup/mlpages-backup.sh").toAbsolutePath();

	/** nobody: the stand-in for the unit's User= */
	private static final int USER = 65534;

	@TempDir
	Path dir;

	@BeforeAll
	static void mountNamespaces() {
		RequiredTool.assumeInstalled("unshare", "MLPAGES_REQUIRE_UNSHARE", "util-linux");
		Command probe = Command.run(List.of("unshare", "--mount", "true"));
		RequiredTool.assume(probe.exitCode() == 0, "MLPAGES_REQUIRE_UNSHARE",
				"this user cannot make a mount namespace (root needed): " + probe.output().strip());
	}

	@Test
	void theBackupRunsInTheUnitsSandbox() throws IOException {
		Path server = serverFolders();

		Command run = Command.run(List.of("unshare", "--mount", "bash", "-c", sandbox(server, unit())));

		System.out.println("BackupUnitSandboxTest: " + run.output().strip());
		assertThat(run.exitCode()).as(run.toString()).isZero();
		assertThat(run.output()).contains("the rest of the system is read-only")
			.contains("integrity ok")
			.contains("1 new");
		Path backups = server.resolve("backups");
		assertThat(Files.getOwner(backups).getName()).isEqualTo("nobody");
		List<Path> copies;
		try (var files = Files.list(backups)) {
			copies = files.filter(f -> f.getFileName().toString().matches("mlpages-.*Z\\.db\\.gz")).toList();
		}
		assertThat(copies).hasSize(1);
		assertThat(Files.getPosixFilePermissions(copies.get(0))).as("UMask=0077")
			.extracting(Object::toString)
			.containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
		assertThat(backups.resolve("uploads/dog.jpg")).hasContent("a photo");
	}

	/**
	 * The sandbox is real: without the database's folder writable (SQLite writes a WAL
	 * database's -shm index even to read it) the same backup fails, and says so.
	 */
	@Test
	void theDatabaseFolderMustBeWritable() throws IOException {
		Path server = serverFolders();
		Unit unit = unit();
		Unit withoutData = new Unit(unit.environment(),
				unit.readWritePaths().stream().filter(p -> !p.equals("/var/lib/mlpages/data")).toList(),
				unit.stateDirectory(), unit.stateDirectoryMode(), unit.umask(), unit.execStart());

		Command run = Command.run(List.of("unshare", "--mount", "bash", "-c", sandbox(server, withoutData)));

		assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
		assertThat(run.output()).contains("FAILED: VACUUM INTO").contains("unable to open database file");
	}

	/** /var/lib/mlpages as the app leaves it: a WAL database and a photo, the user's. */
	private Path serverFolders() throws IOException {
		Path server = Files.createDirectories(dir.resolve("var-lib/mlpages"));
		Files.createDirectories(server.resolve("data"));
		Files.writeString(Files.createDirectories(server.resolve("uploads")).resolve("dog.jpg"), "a photo");
		Command made = Command.run(List.of("sqlite3", server.resolve("data/mlpages.db").toString(),
				"PRAGMA journal_mode=WAL; CREATE TABLE prediction (id INTEGER PRIMARY KEY);"
						+ " INSERT INTO prediction DEFAULT VALUES;"));
		assertThat(made.exitCode()).as(made.toString()).isZero();
		Command owned = Command.run(List.of("chown", "-R", USER + ":" + USER, server.toString()));
		assertThat(owned.exitCode()).as(owned.toString()).isZero();
		return server;
	}

	/** The settings of the shipped unit this test applies. */
	record Unit(List<String> environment, List<String> readWritePaths, String stateDirectory, String stateDirectoryMode,
			String umask, String execStart) {
	}

	private static Unit unit() throws IOException {
		String unit = Files.readString(UNIT);
		List<String> environment = new ArrayList<>();
		Matcher line = Pattern.compile("(?m)^Environment=(.+)$").matcher(unit);
		while (line.find()) {
			environment.add(line.group(1));
		}
		List<String> readWrite = new ArrayList<>();
		Matcher paths = Pattern.compile("(?m)^ReadWritePaths=(.+)$").matcher(unit);
		while (paths.find()) {
			readWrite.addAll(List.of(paths.group(1).trim().split("\\s+")));
		}
		Unit parsed = new Unit(environment, readWrite, "/var/lib/" + setting(unit, "StateDirectory"),
				setting(unit, "StateDirectoryMode"), setting(unit, "UMask"), setting(unit, "ExecStart"));
		assertThat(unit).contains("ProtectSystem=strict", "PrivateTmp=yes", "NoNewPrivileges=yes", "User=mlpages");
		assertThat(readWrite).as("this test mounts the server's folders on /var/lib")
			.allMatch(path -> path.startsWith("/var/lib/"));
		return parsed;
	}

	private static String setting(String unit, String name) {
		Matcher value = Pattern.compile("(?m)^" + name + "=(.+)$").matcher(unit);
		assertThat(value.find()).as(name + " in " + UNIT).isTrue();
		return value.group(1).trim();
	}

	/**
	 * The script run in the new mount namespace. Mounts there are private, and are made
	 * read-only per mount ({@code remount,bind,ro}), so nothing outside changes.
	 */
	private String sandbox(Path server, Unit unit) {
		List<String> writable = new ArrayList<>(unit.readWritePaths());
		writable.add(unit.stateDirectory());
		String program = unit.execStart();
		StringBuilder script = new StringBuilder("""
				set -euo pipefail
				mount --make-rprivate /
				mount -t tmpfs -o mode=0755 tmpfs /var/lib
				mkdir -p /var/lib/mlpages
				mount --bind %s /var/lib/mlpages
				program_dir=$(dirname %s)
				mount -t tmpfs -o mode=0755 tmpfs "$(dirname "$program_dir")"
				mkdir -p "$program_dir"
				install -m 0755 %s %s
				install -d -m %s -o %d -g %d %s
				""".formatted(quote(server.toString()), quote(program), quote(SCRIPT.toString()), quote(program),
				unit.stateDirectoryMode(), USER, USER, quote(unit.stateDirectory())));
		for (String path : writable) {
			script.append("mount --bind ").append(quote(path)).append(' ').append(quote(path)).append('\n');
		}
		script.append("mount -t tmpfs -o mode=1777 tmpfs /tmp\n");
		// every other mount read-only; mounts that tmpfs now hides are unreachable anyway
		script.append("""
				while read -r mountpoint; do
				  case $mountpoint in /proc | /proc/* | /sys | /sys/* | /dev | /dev/* | /tmp %s) continue ;; esac
				  [ -d "$mountpoint" ] || [ -f "$mountpoint" ] || continue
				  mount -o remount,bind,ro "$mountpoint" 2>/dev/null || echo "left writable: $mountpoint"
				done < <(awk '{ print $2 }' /proc/self/mounts)
				if touch /var/lib/mlpages/uploads/.probe 2>/dev/null || touch /usr/.probe 2>/dev/null; then
				  echo "the sandbox is not read-only"; exit 99
				fi
				echo "the rest of the system is read-only"
				""".formatted(writable.stream().map(p -> "| " + p).reduce("", String::concat)));
		script.append("env -i PATH=/usr/bin:/bin HOME=/var/lib/mlpages");
		for (String variable : unit.environment()) {
			script.append(' ').append(quote(variable));
		}
		script.append(" setpriv --reuid=").append(USER).append(" --regid=").append(USER);
		script.append(" --clear-groups --no-new-privs bash -c ")
			.append(quote("umask " + unit.umask() + " && exec " + program))
			.append('\n');
		return script.toString();
	}

	private static String quote(String word) {
		return "'" + word.replace("'", "'\\''") + "'";
	}

}
