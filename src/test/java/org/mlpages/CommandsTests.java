package org.mlpages;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code java -jar mlpages.jar ...} does with its arguments before any web server
 * starts: a command, the site, or the usage.
 */
class CommandsTests {

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private int run(String... args) {
		return MlPagesApplication.runCommand(args, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
	}

	@Test
	void noArgumentsOrTheSitesSettingsServeTheSite() {
		assertThat(run()).isEqualTo(MlPagesApplication.SERVE);
		assertThat(run("--server.port=9090", "--mlpages.data-dir=/var/lib/mlpages"))
			.isEqualTo(MlPagesApplication.SERVE);
		assertThat(out.size() + err.size()).as("nothing printed").isZero();
	}

	@Test
	void aMistypedCommandPrintsTheUsageAndExitsWithStatusTwo() {
		assertThat(run("describ", "model.onnx")).isEqualTo(2);
		assertThat(err.toString(StandardCharsets.UTF_8))
			.startsWith("Unknown command: describ\nUsage: java -jar mlpages.jar")
			.contains("describe MODEL.onnx", "inspect|describe|convert|verify", "train-image");
		assertThat(out.size()).isZero();
	}

	@Test
	void aJavaOptionAfterTheJarIsRefusedAndSaysWhereItGoes() {
		assertThat(run("-Xmx256m")).isEqualTo(2);
		assertThat(err.toString(StandardCharsets.UTF_8))
			.startsWith("Unknown option: -Xmx256m (Java's own options, such as -D or -X, go before -jar)\nUsage:");
	}

	@Test
	void helpPrintsTheUsageAndExitsWithStatusZero() {
		for (String help : new String[] { "--help", "-h", "help" }) {
			out.reset();
			assertThat(run(help)).as(help).isZero();
			assertThat(out.toString(StandardCharsets.UTF_8)).as(help).startsWith("Usage: java -jar mlpages.jar");
		}
	}

	@Test
	void aKnownCommandRunsItselfNotTheSite() {
		// the Keras command line with no model: its own usage and its own status
		assertThat(run("inspect")).isNotEqualTo(MlPagesApplication.SERVE).isNotZero();
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("inspect MODEL");
	}

}
