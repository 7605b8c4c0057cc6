package org.mlpages.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The systemd units in {@code deploy/systemd/} pass {@code systemd-analyze verify}, which
 * runs without systemd as PID 1 when given a root folder: the units go where the server
 * set-up installs them, next to this machine's own system units (which they depend on),
 * and each program a unit starts is put at the path the unit names (the shipped script of
 * that name where there is one). An unknown setting, a bad calendar or a missing program
 * is a finding, and fails the test with systemd's words.
 */
class SystemdUnitsVerifyTest {

	private static final Path UNITS = Path.of("deploy/systemd");

	private static final Pattern EXEC = Pattern.compile("(?m)^Exec\\w+=[-@:+!]*(/\\S+)");

	@BeforeAll
	static void systemdAnalyze() {
		RequiredTool.assumeInstalled("systemd-analyze", "MLPAGES_REQUIRE_SYSTEMD_ANALYZE", "systemd");
	}

	@Test
	void theUnitsPassSystemdAnalyzeVerify(@TempDir Path root) throws IOException {
		List<String> units = installUnits(root);
		assertThat(units).contains("mlpages-backup.service", "mlpages-backup.timer");

		List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify", "--root=" + root));
		command.addAll(units);
		Command verify = Command.run(command);

		assertThat(verify.exitCode()).as(verify.toString()).isZero();
		assertThat(verify.output()).as("no warning either").isBlank();
	}

	/**
	 * systemd's own grading of the backup unit's sandbox: an exposure of at most 1.0 out
	 * of 10 ("SAFE"); it reads and writes a few files and needs nothing else.
	 */
	@Test
	void theBackupUnitIsGradedSafe(@TempDir Path root) throws IOException {
		installUnits(root);

		Command security = Command.run(List.of("systemd-analyze", "security", "--offline=true", "--root=" + root,
				"--threshold=10", "--no-pager", "mlpages-backup.service"));

		assertThat(security.exitCode()).as(security.toString()).isZero();
		assertThat(security.output()).contains("Overall exposure level for mlpages-backup.service");
	}

	/** The check finds what it is here for. */
	@Test
	void aMistakeIsFound(@TempDir Path root) throws IOException {
		installUnits(root);
		Path timer = root.resolve("etc/systemd/system/mlpages-backup.timer");
		Files.writeString(timer, Files.readString(timer).replaceFirst("OnCalendar=.*", "OnCalendar=every night"));

		Command verify = Command.run(List.of("systemd-analyze", "verify", "--root=" + root, "mlpages-backup.timer"));

		assertThat(verify.exitCode()).isNotZero();
		assertThat(verify.output()).contains("Failed to parse calendar specification");
	}

	private static List<String> installUnits(Path root) throws IOException {
		Path system = Files.createDirectories(root.resolve("etc/systemd/system"));
		copyTree(Path.of("/usr/lib/systemd/system"), Files.createDirectories(root.resolve("usr/lib/systemd/system")));
		List<String> units = new ArrayList<>();
		try (Stream<Path> files = Files.list(UNITS)) {
			for (Path unit : files.filter(f -> f.toString().matches(".*\\.(service|timer|socket|path)"))
				.sorted()
				.toList()) {
				Files.copy(unit, system.resolve(unit.getFileName()));
				units.add(unit.getFileName().toString());
				installPrograms(root, Files.readString(unit));
			}
		}
		return units;
	}

	/** What a unit starts: the shipped script of that name, else a stand-in. */
	private static void installPrograms(Path root, String unit) throws IOException {
		Matcher exec = EXEC.matcher(unit);
		while (exec.find()) {
			Path program = root.resolve(exec.group(1).substring(1));
			if (Files.exists(program)) {
				continue;
			}
			Files.createDirectories(program.getParent());
			Path shipped = shippedScript(program.getFileName().toString());
			if (shipped != null) {
				Files.copy(shipped, program);
			}
			else {
				Files.writeString(program, "#!/bin/sh\n");
			}
			Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
		}
	}

	/** The kit's scripts: deploy/ and the launcher bin/run-prepared.sh it installs. */
	private static Path shippedScript(String name) throws IOException {
		try (Stream<Path> files = Stream.concat(Files.walk(Path.of("deploy")), Files.list(Path.of("bin")))) {
			return files.filter(f -> f.getFileName().toString().equals(name)).findFirst().orElse(null);
		}
	}

	private static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> files = Files.list(from)) {
			for (Path file : files.toList()) {
				// masked units (links to /dev/null) are not needed, and JUnit warns about
				// them
				if (Files.isDirectory(file)
						|| Files.isSymbolicLink(file) && Files.readSymbolicLink(file).equals(Path.of("/dev/null"))) {
					continue;
				}
				// symbolic links (aliases such as default.target) are copied as links
				Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES,
						java.nio.file.LinkOption.NOFOLLOW_LINKS);
			}
		}
	}

}
