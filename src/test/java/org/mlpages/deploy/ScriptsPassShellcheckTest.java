package org.mlpages.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every shell script the repository ships (bin/, deploy/, .ci/) passes shellcheck with
 * its default checks, one test per script, failing with shellcheck's findings. The
 * scripts run as root on an operator's server and in CI: quoting mistakes there delete
 * the wrong files.
 */
class ScriptsPassShellcheckTest {

	private static final List<Path> FOLDERS = List.of(Path.of("bin"), Path.of("deploy"), Path.of(".ci"));

	@BeforeAll
	static void shellcheck() {
		RequiredTool.assumeInstalled("shellcheck", "MLPAGES_REQUIRE_SHELLCHECK", "shellcheck");
	}

	@TestFactory
	Stream<DynamicTest> everyScriptPassesShellcheck() throws IOException {
		return scripts().stream().map(script -> DynamicTest.dynamicTest(script.toString(), () -> {
			Command check = Command.run(List.of("shellcheck", "--format=gcc", script.toString()));
			assertThat(check.exitCode()).as("shellcheck " + script + ":\n" + check.output()).isZero();
		}));
	}

	/** A script that is not found is not checked: the list must hold the known ones. */
	@Test
	void theScriptsAreFound() throws IOException {
		assertThat(scripts()).contains(Path.of(".ci/run"), Path.of("bin/prepare-start.sh"),
				Path.of("deploy/backup/mlpages-backup.sh"), Path.of("deploy/backup/mlpages-restore.sh"));
	}

	/** {@code *.sh} files, and {@code .ci/run}, which has no extension. */
	static List<Path> scripts() throws IOException {
		List<Path> scripts = new ArrayList<>();
		for (Path folder : FOLDERS) {
			if (!Files.isDirectory(folder)) {
				continue;
			}
			try (Stream<Path> files = Files.walk(folder)) {
				files.filter(Files::isRegularFile)
					.filter(file -> file.getFileName().toString().endsWith(".sh") || file.equals(Path.of(".ci/run")))
					.sorted()
					.forEach(scripts::add);
			}
		}
		return scripts;
	}

}
