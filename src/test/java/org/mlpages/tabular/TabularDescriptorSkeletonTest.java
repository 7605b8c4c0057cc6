package org.mlpages.tabular;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.mlpages.Commands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code describe model.onnx}: a descriptor skeleton from the model's own inputs and
 * classes, which loads with the model once its TODOs are filled in.
 */
class TabularDescriptorSkeletonTest {

	private static final Path DIR = Path.of("src/test/resources/tabular/onnx");

	@TempDir
	Path tmp;

	@ParameterizedTest
	@ValueSource(strings = { "debayan_heart_model", "pipeline_strings", "forest_no_zipmap", "three_classes" })
	void theSkeletonLoadsWithItsModelOnceCompleted(String name) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int status = Commands.run(new String[] { "describe", DIR.resolve(name + ".onnx").toString() },
				new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
		assertThat(status).isZero();
		String skeleton = out.toString(StandardCharsets.UTF_8);
		assertThat(skeleton).startsWith("# Descriptor of " + name + ".onnx, from the model itself");
		// what a data person writes in place of each TODO
		Path model = Files.copy(DIR.resolve(name + ".onnx"), tmp.resolve(name + ".onnx"));
		Path descriptor = Files.writeString(tmp.resolve(name + ".yml"), skeleton.replace("TODO", "words"));
		try (TabularModel loaded = TabularModel.load(name, model, descriptor)) {
			assertThat(loaded.descriptor().fieldList()).isNotEmpty();
		}
	}

	@Test
	void theHeartModelsFifteenColumnsBecomeFifteenFieldsAndItsClassesAreRead() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Commands.run(new String[] { "describe", DIR.resolve("debayan_heart_model.onnx").toString() },
				new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
		String skeleton = out.toString(StandardCharsets.UTF_8);
		assertThat(skeleton).contains("(skl2onnx 1.19.1; inputs input float[15]; probabilities as ZipMap)")
			.contains("  - { value: \"0\", en: TODO, fr: TODO }\n  - { value: \"1\", en: TODO, fr: TODO }\n")
			.contains("positive: \"1\"\nthreshold: 0.5\n")
			.contains("  - name: \"input_14\"\n    input: \"input\"\n    column: 14\n    kind: number\n");
		assertThat(skeleton.split("  - name: ", -1)).hasSize(16);
	}

	@Test
	void aPickleIsRefusedWithTheWayToConvertIt() throws IOException {
		Path pickle = Files.write(tmp.resolve("model.onnx"), new byte[] { (byte) 0x80, 4, 0 });
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int status = Commands.run(new String[] { "describe", pickle.toString() }, System.out,
				new PrintStream(err, true, StandardCharsets.UTF_8));
		assertThat(status).isEqualTo(2);
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("model.onnx is a Python pickle")
			.contains("skl2onnx.to_onnx");
	}

}
