package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a file is, told by its first bytes; and a clear sentence for each file that is no
 * model this importer reads.
 */
class KerasModelFileTest {

	private static final LayerConverters CONVERTERS = LayerConverters.defaults();

	@TempDir
	Path dir;

	private static Path generated3(String name) {
		return TestSupport.fixture("generated-keras3/" + name);
	}

	private KerasModelFile.Kind kindOf(Path file, Path arch) throws IOException {
		try (KerasModelFile f = KerasModelFile.open(file, arch, CONVERTERS)) {
			return f.kind();
		}
	}

	@Test
	void eachKindIsToldByItsContentNotItsName() throws IOException {
		assertThat(kindOf(generated3("keras3_functional_nested.keras"), null))
			.isEqualTo(KerasModelFile.Kind.KERAS_ARCHIVE);
		// a legacy HDF5 model that its author named .keras, and an archive named .h5
		Path legacy = Files.copy(TestSupport.fixture("generated/layout_keras_3_sequential.h5"),
				dir.resolve("model.keras"));
		assertThat(kindOf(legacy, null)).isEqualTo(KerasModelFile.Kind.LEGACY_HDF5);
		Path archive = Files.copy(generated3("keras3_functional_nested.keras"), dir.resolve("model.h5"));
		assertThat(kindOf(archive, null)).isEqualTo(KerasModelFile.Kind.KERAS_ARCHIVE);
		assertThat(kindOf(generated3("keras3_weights_only.weights.h5"), generated3("keras3_weights_only.arch.json")))
			.isEqualTo(KerasModelFile.Kind.KERAS3_WEIGHTS);
		assertThat(kindOf(generated3("keras3_sharded.weights.json"), generated3("keras3_sharded.arch.json")))
			.isEqualTo(KerasModelFile.Kind.KERAS3_SHARDED_WEIGHTS);
	}

	@Test
	void theArchiveGivesItsKerasVersionAndRemovesItsExtractedWeightsWhenClosed() throws IOException {
		Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
		KerasModelFile file = KerasModelFile.open(TestSupport.fixture("keras3/nhanphamthanh_mnist_model.keras"), null,
				CONVERTERS);
		Path extracted;
		try (var listing = Files.list(tmp)) {
			extracted = listing.filter(p -> p.getFileName().toString().endsWith(".weights.h5"))
				.filter(p -> p.getFileName().toString().startsWith("mlpages-"))
				.findFirst()
				.orElseThrow();
		}
		assertThat(file.kerasVersion()).isEqualTo("3.8.0");
		assertThat(file.model().kerasMajor()).isEqualTo(3);
		file.close();
		assertThat(extracted).doesNotExist();
	}

	@Test
	void aPickleIsRefusedUnreadWhateverItsName() throws IOException {
		Path pickle = Files.write(dir.resolve("model.keras"), new byte[] { (byte) 0x80, 4, (byte) 0x95, 0, 0, 0 });
		assertThatThrownBy(() -> KerasModelFile.open(pickle, null, CONVERTERS)).isInstanceOf(KerasImportException.class)
			.hasMessageContaining("is a Python pickle")
			.hasMessageContaining("runs the code")
			.hasMessageContaining("model.save(\"model.keras\")");
		Path joblib = Files.writeString(dir.resolve("model.joblib"), "x\u009c compressed");
		assertThatThrownBy(() -> KerasModelFile.open(joblib, null, CONVERTERS))
			.hasMessageContaining("is a Python pickle");
	}

	@Test
	void zipArchivesThatAreNotKerasModelsSayWhatTheyAre() throws IOException {
		assertThatThrownBy(() -> KerasModelFile.open(zip("photos.zip", Map.of("cat.jpg", "jpeg")), null, CONVERTERS))
			.hasMessageContaining("is a ZIP archive but not a Keras model: it has no config.json");
		assertThatThrownBy(() -> KerasModelFile.open(zip("saved.keras", Map.of("my_model/saved_model.pb", "pb")), null,
				CONVERTERS))
			.hasMessageContaining("TensorFlow SavedModel, which is not supported");
		assertThatThrownBy(() -> KerasModelFile
			.open(zip("npz.keras", Map.of("config.json", "{}", "model.weights.npz", "npz")), null, CONVERTERS))
			.hasMessageContaining("model.weights.npz, which is not supported");
		assertThatThrownBy(() -> KerasModelFile
			.open(zip("bad.keras", Map.of("config.json", "{not json", "model.weights.h5", "x")), null, CONVERTERS))
			.hasMessageContaining("config.json is not valid JSON");
		String config = configOf(generated3("keras3_functional_nested.keras"));
		assertThatThrownBy(() -> KerasModelFile
			.open(zip("junk.keras", Map.of("config.json", config, "model.weights.h5", "not hdf5")), null, CONVERTERS))
			.hasMessageContaining("model.weights.h5 is not a readable HDF5 file");
	}

	/** A page words these in its reader's language, from the reason and its arguments. */
	@Test
	void theCommonRefusalsNameTheirReasonAndTheFile() throws IOException {
		assertThat(refusal(zip("photos.zip", Map.of("cat.jpg", "jpeg")))).isEqualTo("ZIP_NOT_KERAS [photos.zip]");
		assertThat(refusal(zip("saved.keras", Map.of("m/saved_model.pb", "pb"))))
			.isEqualTo("SAVED_MODEL [saved.keras]");
		assertThat(refusal(zip("npz.keras", Map.of("config.json", "{}", "model.weights.npz", "npz"))))
			.isEqualTo("NPZ_WEIGHTS [npz.keras]");
		byte[] whole = Files.readAllBytes(generated3("keras3_functional_nested.keras"));
		assertThat(refusal(Files.write(dir.resolve("cut.keras"), Arrays.copyOf(whole, whole.length / 2))))
			.isEqualTo("UNREADABLE [cut.keras]");
		assertThat(refusal(Files.write(dir.resolve("p.bin"), new byte[] { (byte) 0x80, 4, 1 })))
			.isEqualTo("PICKLE [p.bin]");
		assertThat(refusal(Files.writeString(dir.resolve("m.h5"), "GIF89a"))).isEqualTo("NOT_A_MODEL [m.h5]");
		assertThat(refusal(generated3("keras3_sharded.arch.json")))
			.isEqualTo("JSON_NOT_A_MODEL [keras3_sharded.arch.json]");
		assertThat(refusal(zip("bad.keras", Map.of("config.json", "{not json", "model.weights.h5", "x"))))
			.as("a rarer case: the English sentence alone")
			.isEqualTo("OTHER []");
	}

	private static String refusal(Path file) {
		try {
			KerasModelFile.open(file, null, CONVERTERS).close();
			throw new AssertionError(file + " opened");
		}
		catch (KerasImportException ex) {
			return ex.reason() + " " + ex.arguments();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	@Test
	void aTruncatedArchiveIsRefusedWithASentence() throws IOException {
		byte[] whole = Files.readAllBytes(generated3("keras3_functional_nested.keras"));
		Path cut = Files.write(dir.resolve("cut.keras"), Arrays.copyOf(whole, whole.length / 2));
		assertThatThrownBy(() -> KerasModelFile.open(cut, null, CONVERTERS)).isInstanceOf(KerasImportException.class)
			.hasMessageContaining("cut.keras looks like a ZIP archive but cannot be read as one");
	}

	@Test
	void emptyFilesJsonAndOtherBytesAreNotModels() throws IOException {
		assertThatThrownBy(
				() -> KerasModelFile.open(Files.write(dir.resolve("e.keras"), new byte[0]), null, CONVERTERS))
			.hasMessageContaining("e.keras is empty");
		assertThatThrownBy(() -> KerasModelFile.open(generated3("keras3_sharded.arch.json"), null, CONVERTERS))
			.hasMessageContaining("is JSON, not a model");
		assertThatThrownBy(
				() -> KerasModelFile.open(Files.writeString(dir.resolve("m.h5"), "GIF89a"), null, CONVERTERS))
			.hasMessageContaining("neither HDF5 (.h5) nor a Keras 3 archive (.keras)");
	}

	@Test
	void shardsMustBePlainFilesBesideTheirIndex() throws IOException {
		Path arch = generated3("keras3_sharded.arch.json");
		Path outside = Files.writeString(dir.resolve("evil.weights.json"),
				"{\"weight_map\": {\"/layers/dense/vars\": \"../../etc/passwd\"}}");
		assertThatThrownBy(() -> KerasModelFile.open(outside, arch, CONVERTERS))
			.hasMessageContaining("names a shard that is not a plain file name beside it: ../../etc/passwd");
		Path missing = Files.writeString(dir.resolve("gone.weights.json"),
				"{\"weight_map\": {\"/layers/dense/vars\": [\"gone_00000.weights.h5\"]}}");
		assertThatThrownBy(() -> KerasModelFile.open(missing, arch, CONVERTERS))
			.hasMessageContaining("The shard gone_00000.weights.h5 listed in gone.weights.json is missing");
		assertThatThrownBy(() -> KerasModelFile.open(generated3("keras3_sharded.weights.json"), null, CONVERTERS))
			.hasMessageContaining("not the architecture");
	}

	@Test
	void aLayerWhoseStoredVariablesDoNotMatchItsClassIsRefusedByName() throws IOException {
		// the functional fixture's first Conv2D (named conv2d_9) is stored at
		// layers/conv2d: three variables there (as a quantised layer has), or none
		try (var f = io.jhdf.HdfFile.write(dir.resolve("three.weights.h5"))) {
			var vars = f.putGroup("layers").putGroup("conv2d").putGroup("vars");
			for (int i = 0; i < 3; i++) {
				vars.putDataset(Integer.toString(i), new float[] { 1 });
			}
		}
		try (var f = io.jhdf.HdfFile.write(dir.resolve("none.weights.h5"))) {
			f.putGroup("layers").putGroup("dense").putGroup("vars");
		}
		assertThat(buildFailure("three.weights.h5")).contains("conv2d_9")
			.contains("has 3 variables in layers/conv2d/vars, expected 2 (kernel, bias)");
		assertThat(buildFailure("none.weights.h5")).contains("conv2d_9")
			.contains("has 0 variables in layers/conv2d/vars, expected 2 (kernel, bias)");
	}

	private String buildFailure(String weights) throws IOException {
		TestSupport.loadNatives();
		try (KerasModelFile file = KerasModelFile.open(dir.resolve(weights),
				generated3("keras3_weights_only.arch.json"), CONVERTERS);
				org.tensorflow.Graph graph = new org.tensorflow.Graph()) {
			var builder = new ModelGraphBuilder(CONVERTERS, file.weights());
			var ops = org.tensorflow.op.Ops.create(graph);
			KerasImportException e = org.junit.jupiter.api.Assertions.assertThrows(KerasImportException.class,
					() -> builder.build(ops, file.model(), "input", "output"));
			return e.getMessage();
		}
	}

	@Test
	void snakeCaseIsKerasS() {
		assertThat(Arrays
			.asList("Conv2D", "BatchNormalization", "PReLU", "ReLU", "DepthwiseConv2D", "GlobalAveragePooling2D",
					"InputLayer", "Conv2DTranspose", "LSTM", "Functional")
			.stream()
			.map(Keras3WeightsStore::snakeCase)).containsExactly("conv2d", "batch_normalization", "p_re_lu", "re_lu",
					"depthwise_conv2d", "global_average_pooling2d", "input_layer", "conv2d_transpose", "lstm",
					"functional");
	}

	private Path zip(String name, Map<String, String> entries) throws IOException {
		Path file = dir.resolve(name);
		try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
			for (var e : new java.util.TreeMap<>(entries).entrySet()) {
				zip.putNextEntry(new ZipEntry(e.getKey()));
				zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
				zip.closeEntry();
			}
		}
		return file;
	}

	private static String configOf(Path archive) throws IOException {
		try (var zip = new java.util.zip.ZipFile(archive.toFile())) {
			return new String(zip.getInputStream(zip.getEntry("config.json")).readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
