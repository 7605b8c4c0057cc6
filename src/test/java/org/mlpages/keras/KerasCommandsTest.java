package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpages.Commands;

/** The jar's command-line mode, called directly: output and exit codes. */
class KerasCommandsTest {

	@TempDir
	Path dir;

	@TempDir
	static Path cache;

	private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();

	private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

	@BeforeAll
	static void natives() {
		TestSupport.loadNatives();
	}

	private int run(String... args) {
		String[] withCache = new String[args.length + 2];
		System.arraycopy(args, 0, withCache, 0, args.length);
		withCache[args.length] = "--cache";
		withCache[args.length + 1] = cache.toString();
		return Commands.run(withCache, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
				new PrintStream(errBytes, true, StandardCharsets.UTF_8));
	}

	private String out() {
		return outBytes.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return errBytes.toString(StandardCharsets.UTF_8);
	}

	private static String generated(String file) {
		return TestSupport.fixture("generated/" + file).toString();
	}

	@Test
	void inspectListsVersionKindShapeLayersAndParameters() {
		assertThat(run("inspect", generated("layout_keras_3_sequential.h5"))).isEqualTo(0);
		assertThat(out()).contains("Keras version: 3.6.0 (read as Keras 3)")
			.contains("Model kind:    Sequential")
			.contains("Input shape:   [None, 6, 6, 3]")
			.containsPattern("conv2d\\w* \\(Conv2D\\) +supported +112 params +filters=4, kernel_size=\\[3,3\\]")
			// conv 3*3*3*4 + 4, batch norm 4 * 4, dense 36*3 + 3
			.contains("Parameters:    239")
			.contains("Verdict:       convertible");
	}

	@Test
	void aKeras3ArchiveIsInspectedAndVerifiedLikeAnH5() {
		String model = TestSupport.fixture("keras3/nhanphamthanh_mnist_model.keras").toString();
		String expected = TestSupport.fixture("keras3/expected/nhanphamthanh_mnist_model").toString();
		assertThat(run("inspect", model)).isEqualTo(0);
		assertThat(out()).contains("Format:        Keras 3 archive (.keras)")
			.contains("Keras version: 3.8.0 (read as Keras 3)")
			.contains("Input shape:   [None, 28, 28, 1]")
			// stored at layers/conv2d whatever the layer's name: 3*3*1*32 + 32
			.containsPattern("conv2d_6 \\(Conv2D\\) +supported +320 params")
			.contains("Verdict:       convertible");
		assertThat(run("verify", model, "--input", expected + "/input.npy", "--expected", expected + "/output.npy"))
			.isEqualTo(0);
		assertThat(out()).contains("OK");
	}

	@Test
	void inspectOfAWeightsOnlyFileUsesTheArchitecture() {
		assertThat(run("inspect", generated("weights_only_tf_keras_2_11.h5"), "--arch",
				generated("weights_only_tf_keras_2_11.arch.json")))
			.isEqualTo(0);
		assertThat(out()).contains("Keras version: 2.11.0")
			.contains("Functional, with nested Functional")
			.contains("/conv2d");
		// without the architecture the file is not a model
		outBytes.reset();
		assertThat(run("inspect", generated("weights_only_tf_keras_2_11.h5"))).isEqualTo(2);
		assertThat(err()).contains("model_config").contains("to_json");
	}

	@Test
	void inspectReportsEveryUnsupportedLayerWithNameClassAndReason() {
		String config = "{\"class_name\":\"Sequential\",\"config\":{\"name\":\"s\",\"layers\":["
				+ "{\"class_name\":\"InputLayer\",\"config\":{\"name\":\"in\",\"batch_input_shape\":[null,4,4,1]}},"
				+ "{\"class_name\":\"Conv2D\",\"config\":{\"name\":\"cf\",\"filters\":1,\"kernel_size\":[1,1],"
				+ "\"data_format\":\"channels_first\"}},"
				+ "{\"class_name\":\"LSTM\",\"config\":{\"name\":\"my_lstm\",\"units\":2}},"
				+ "{\"class_name\":\"Activation\",\"config\":{\"name\":\"act\",\"activation\":\"celu\"}}]}}";
		Path h5 = new TinyKerasFile().config(config)
			.weight("cf", "cf/kernel:0", new float[][] { { 1 } })
			.write(dir.resolve("bad.h5"));
		assertThat(run("inspect", h5.toString())).isEqualTo(1);
		assertThat(out()).contains("cf (Conv2D)")
			.contains("channels_first")
			.contains("my_lstm (LSTM)")
			.contains("no converter for class LSTM")
			.contains("act (Activation)")
			.contains("activation 'celu'")
			.contains("not convertible (3 unsupported layer(s))")
			.contains("Supported layer classes:")
			.contains("SeparableConv2D");
	}

	@Test
	void convertWritesTheSavedModel() throws Exception {
		Path target = dir.resolve("saved");
		assertThat(run("convert", generated("layout_tf_keras_2_16_nested.h5"), target.toString())).isEqualTo(0);
		assertThat(target.resolve("saved_model.pb")).isRegularFile();
		assertThat(out()).contains("serving_default").contains("[None, 5, 5, 2]");
		// never into a directory that has something in it
		assertThat(run("convert", generated("layout_tf_keras_2_16_nested.h5"), target.toString())).isEqualTo(64);
	}

	@Test
	void verifyWithinToleranceExitsZero() {
		String name = "layout_keras_2_2_functional";
		assertThat(run("verify", generated(name + ".h5"), "--input", generated(name + ".input.npy"), "--expected",
				generated(name + ".expected.npy")))
			.isEqualTo(0);
		assertThat(out()).contains("max abs difference").contains("OK");
	}

	@Test
	void verifyOfAWeightsOnlyFileWithItsArchitecture() {
		String name = "weights_only_keras_2_2";
		assertThat(run("verify", generated(name + ".h5"), "--arch", generated(name + ".arch.json"), "--input",
				generated(name + ".input.npy"), "--expected", generated(name + ".expected.npy"), "--tolerance", "1e-5"))
			.isEqualTo(0);
	}

	@Test
	void verifyBeyondToleranceExitsOne() throws Exception {
		String name = "dense_rank2";
		Npy.Array expected = Npy.read(Path.of(generated(name + ".expected.npy")));
		float[] shifted = expected.floats();
		shifted[3] += 0.01f;
		Path wrong = dir.resolve("wrong.npy");
		Npy.writeFloat32(wrong, expected.shape(), shifted);
		assertThat(run("verify", generated(name + ".h5"), "--input", generated(name + ".input.npy"), "--expected",
				wrong.toString()))
			.isEqualTo(1);
		assertThat(out()).contains("MISMATCH").containsPattern("max abs difference 0\\.0100");
	}

	@Test
	void verifyOfAModelThatCannotBeLoadedExitsTwo() throws Exception {
		Path junk = Files.writeString(dir.resolve("junk.h5"), "not hdf5");
		String name = "dense_rank2";
		assertThat(run("verify", junk.toString(), "--input", generated(name + ".input.npy"), "--expected",
				generated(name + ".expected.npy")))
			.isEqualTo(2);
		assertThat(err()).contains("HDF5");
	}

	@Test
	void keras3WeightsWithoutTheirArchitectureAreRefusedWithAClearMessage() {
		Path h5 = dir.resolve("model.weights.h5");
		try (WritableHdfFile f = HdfFile.write(h5)) {
			f.putGroup("layers").putGroup("dense").putGroup("vars").putDataset("0", new float[][] { { 1 } });
		}
		assertThat(run("inspect", h5.toString())).isEqualTo(2);
		assertThat(err()).contains("holds Keras 3 weights only").contains("model.to_json()");
		assertThat(run("inspect", h5.toString(), "--arch", generated("dense_rank2.h5").replace(".h5", ".input.npy")))
			.isEqualTo(2);
		assertThat(err()).contains("is not valid JSON");
	}

	@Test
	void usageErrorsExit64() {
		assertThat(run("verify", generated("dense_rank2.h5"))).isEqualTo(64);
		assertThat(run("inspect", "a.h5", "b.h5")).isEqualTo(64);
		assertThat(run("inspect", "a.h5", "--bogus", "1")).isEqualTo(64);
		assertThat(run("verify", "a.h5", "--input", "x", "--expected", "y", "--tolerance", "abc")).isEqualTo(64);
		assertThat(err()).contains("Invalid value for option '--tolerance': 'abc' is not a double")
			.contains("Usage: java -jar mlpages.jar verify");
	}

	@Test
	void everyCommandAnswersHelpWithItsOptions() {
		for (String command : new String[] { "inspect", "describe", "convert", "verify" }) {
			outBytes.reset();
			assertThat(run(command, "--help")).as(command).isZero();
			assertThat(out()).as(command)
				.contains("\nUsage: java -jar mlpages.jar " + command + " [-h]")
				.contains("MODEL", "--arch=ARCH.json", "--cache=DIR");
		}
	}

	@Test
	void npyRoundTripAndFloat64() throws Exception {
		Path f = dir.resolve("x.npy");
		Npy.writeFloat32(f, new long[] { 2, 3 }, new float[] { 1, 2, 3, 4, 5, 6.5f });
		Npy.Array a = Npy.read(f);
		assertThat(a.shape()).containsExactly(2, 3);
		assertThat(a.floats()).containsExactly(1, 2, 3, 4, 5, 6.5f);
		// the generator's expected outputs are float64
		Npy.Array e = Npy.read(Path.of(generated("dense_rank2.expected.npy")));
		assertThat(e.shape()).containsExactly(2, 3);
		Npy.writeFloat32(f, new long[] { 4 }, new float[] { 1, 2, 3, 4 });
		assertThat(Npy.read(f).shape()).containsExactly(4);
	}

}
