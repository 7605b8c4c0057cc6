package org.mlpages;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code java -jar mlpages.jar ...} does with its arguments before any web server
 * starts: a command, the site, or the usage.
 */
class CommandsTests {

	private static final String[] COMMANDS = { "inspect", "describe", "convert", "verify", "train-image",
			"train-credit" };

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private int run(String... args) {
		return Commands.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
	}

	private String out() {
		return out.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return err.toString(StandardCharsets.UTF_8);
	}

	@Test
	void noArgumentsOrTheSitesSettingsServeTheSite() {
		assertThat(run()).isEqualTo(Commands.SERVE);
		assertThat(run("--server.port=9090", "--mlpages.data-dir=/var/lib/mlpages")).isEqualTo(Commands.SERVE);
		assertThat(out.size() + err.size()).as("nothing printed").isZero();
	}

	@Test
	void aMistypedCommandPrintsTheUsageAndExitsWithStatusTwo() {
		assertThat(run("describ", "model.onnx")).isEqualTo(2);
		assertThat(err()).startsWith("Unknown command: describ\nDid you mean: java -jar mlpages.jar describe")
			.contains("Usage: java -jar mlpages.jar [--name=value ...]");
		for (String command : COMMANDS) {
			assertThat(err()).as("the usage lists " + command).containsPattern("(?m)^  " + command + " ");
		}
		assertThat(out.size()).isZero();
	}

	@Test
	void aJavaOptionAfterTheJarIsRefusedAndSaysWhereItGoes() {
		assertThat(run("-Xmx256m")).isEqualTo(2);
		assertThat(err())
			.startsWith("Unknown option: -Xmx256m (Java's own options, such as -D or -X, go before -jar)\nUsage:");
	}

	@Test
	void helpPrintsTheUsageAndExitsWithStatusZero() {
		for (String help : new String[] { "--help", "-h", "help" }) {
			out.reset();
			assertThat(run(help)).as(help).isZero();
			assertThat(out()).as(help).startsWith("Usage: java -jar mlpages.jar").contains("train-credit");
		}
	}

	@Test
	void everyCommandAnswersHelpWithItsOwnUsage() {
		for (String command : COMMANDS) {
			out.reset();
			assertThat(run(command, "--help")).as(command).isZero();
			assertThat(out()).as(command).contains("\nUsage: java -jar mlpages.jar " + command + " [-h]");
			out.reset();
			assertThat(run("help", command)).as("help " + command).isZero();
			assertThat(out()).as("help " + command).contains("\nUsage: java -jar mlpages.jar " + command + " [-h]");
		}
	}

	@Test
	void aCommandWithoutItsArgumentsSaysWhatIsMissingAndExitsWith64() {
		assertThat(run("inspect")).isEqualTo(64);
		assertThat(err()).startsWith("Missing required parameter: 'MODEL'")
			.contains("Usage: java -jar mlpages.jar inspect");
		err.reset();
		assertThat(run("train-credit", "--data", "x.csv")).isEqualTo(64);
		assertThat(err()).startsWith("Missing required option: '--out=PREFIX'");
	}

	@Test
	void trainCreditRefusesAHeldOutRowBelowOneAndAFileThatIsNotTheCsv(@TempDir Path dir) throws Exception {
		assertThat(run("train-credit", "--data", "x.csv", "--out", dir.resolve("m").toString(), "--hold-out", "0,3"))
			.isEqualTo(64);
		assertThat(err()).contains("Usage: java -jar mlpages.jar train-credit");
		err.reset();
		Path csv = Files.writeString(dir.resolve("other.csv"), "a,b\n1,2\n");
		assertThat(run("train-credit", "--data", csv.toString(), "--out", dir.resolve("m").toString())).isEqualTo(2);
		assertThat(err()).startsWith("Cannot train: ");
		assertThat(dir.resolve("m.model")).doesNotExist();
	}

}
