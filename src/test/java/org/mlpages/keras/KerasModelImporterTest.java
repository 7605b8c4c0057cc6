package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KerasModelImporterTest {

	private static final String TINY_CONFIG = "{\"class_name\":\"Sequential\",\"config\":{\"name\":\"tiny\",\"layers\":["
			+ "{\"class_name\":\"InputLayer\",\"config\":{\"name\":\"in\",\"batch_input_shape\":[null,2]}},"
			+ "{\"class_name\":\"Dense\",\"config\":{\"name\":\"hidden\",\"units\":2,\"activation\":\"relu\"}},"
			+ "{\"class_name\":\"Dropout\",\"config\":{\"name\":\"drop\",\"rate\":0.5}},"
			+ "{\"class_name\":\"Dense\",\"config\":{\"name\":\"out\",\"units\":1,\"use_bias\":false}}]}}";

	@TempDir
	Path dir;

	private final KerasModelImporter importer = new KerasModelImporter();

	@BeforeAll
	static void natives() {
		TestSupport.loadNatives();
	}

	private Path tinyModel(String config) {
		return new TinyKerasFile().config(config)
			.splitLayerNames(2)
			.weight("hidden", "hidden/kernel:0", new float[][] { { 1, -1 }, { 2, -2 } })
			.weight("hidden", "hidden/bias:0", new float[] { 0.5f, 0.5f })
			.group("drop")
			.weight("out", "out/kernel:0", new float[][] { { 10 }, { 100 } })
			.write(dir.resolve("tiny.h5"));
	}

	@Test
	void secondImportComesFromTheCacheWithoutRewriting() throws Exception {
		Path cache = dir.resolve("cache");
		Path h5 = TestSupport.fixture("keras_model_tm_export.h5");
		ImportedModel first = importer.importModel(h5, cache);
		assertThat(first.fromCache()).isFalse();
		Path pb = first.savedModelDir().resolve("saved_model.pb");
		FileTime written = Files.getLastModifiedTime(pb);

		ImportedModel second = new KerasModelImporter().importModel(h5, cache);
		System.out.printf("tm_export import: cold %d ms, cached %d ms%n", first.importTime().toMillis(),
				second.importTime().toMillis());
		assertThat(second.fromCache()).isTrue();
		assertThat(second.savedModelDir()).isEqualTo(first.savedModelDir());
		assertThat(second.sha256()).isEqualTo(first.sha256()).hasSize(64);
		assertThat(second.kerasVersion()).isEqualTo("2.4.0");
		assertThat(second.inputShape()).containsExactly(first.inputShape());
		assertThat(second.layerSummary()).isEqualTo(first.layerSummary());
		assertThat(second.fileSize()).isEqualTo(Files.size(h5));
		assertThat(Files.getLastModifiedTime(pb)).isEqualTo(written);
		assertThat(first.savedModelDir())
			.isEqualTo(cache.toAbsolutePath().resolve("savedmodels").resolve(first.sha256()));
		// nothing but the finished model is left in the cache
		try (var entries = Files.list(cache.resolve("savedmodels"))) {
			assertThat(entries).containsExactly(first.savedModelDir());
		}
	}

	@Test
	void tinyModelRoundTripsThroughDjl() throws Exception {
		ImportedModel m = importer.importModel(tinyModel(TINY_CONFIG), dir.resolve("cache"));
		assertThat(m.inputShape()).containsExactly(-1, 2);
		assertThat(m.outputSize()).isEqualTo(1);
		assertThat(m.inputKey()).isEqualTo("input");
		assertThat(m.outputKey()).isEqualTo("output");
		assertThat(m.layerSummary()).containsExactly("in (InputLayer)", "hidden (Dense)", "drop (Dropout)",
				"out (Dense)");

		Criteria<NDList, NDList> criteria = Criteria.builder()
			.setTypes(NDList.class, NDList.class)
			.optEngine("TensorFlow")
			.optModelPath(m.savedModelDir())
			.build();
		try (ZooModel<NDList, NDList> model = criteria.loadModel();
				Predictor<NDList, NDList> predictor = model.newPredictor();
				NDManager manager = NDManager.newBaseManager("TensorFlow")) {
			// hidden = relu([1*1 + 1*2 + .5, -1 - 2 + .5]) = [3.5, 0]; out = 3.5 * 10 =
			// 35
			NDList y = predictor.predict(new NDList(manager.create(new float[] { 1, 1, -1, 0 }, new Shape(2, 2))));
			// second row: relu([-1 + .5, 1 + .5]) = [0, 1.5] -> 150
			assertThat(y.singletonOrThrow().toFloatArray()).containsExactly(35, 150);
		}
	}

	@Test
	void unsupportedLayerIsReportedBeforeAnythingIsWritten() {
		String config = TINY_CONFIG.replace("{\"class_name\":\"Dropout\",\"config\":{\"name\":\"drop\"",
				"{\"class_name\":\"Conv3D\",\"config\":{\"name\":\"weird_conv\"");
		Path cache = dir.resolve("cache");
		assertThatThrownBy(() -> importer.importModel(tinyModel(config), cache))
			.isInstanceOfSatisfying(UnsupportedLayerException.class, e -> {
				assertThat(e.layerName()).isEqualTo("weird_conv");
				assertThat(e.layerClass()).isEqualTo("Conv3D");
			})
			.hasMessageContaining("weird_conv")
			.hasMessageContaining("Conv3D");
		assertThat(cache.resolve("savedmodels")).doesNotExist();
	}

	@Test
	void malformedFilesAreImportErrors() throws Exception {
		Path cache = dir.resolve("cache");
		Path junk = Files.writeString(dir.resolve("junk.h5"), "not hdf5");
		assertThatThrownBy(() -> importer.importModel(junk, cache)).isInstanceOf(KerasImportException.class);

		Path badJson = new TinyKerasFile().config("{not json").write(dir.resolve("bad-json.h5"));
		assertThatThrownBy(() -> importer.importModel(badJson, cache)).isInstanceOf(KerasImportException.class)
			.hasMessageContaining("JSON");

		Path noConfig = new TinyKerasFile().weight("d", "d/kernel:0", new float[][] { { 1 } })
			.write(dir.resolve("w.h5"));
		assertThatThrownBy(() -> importer.importModel(noConfig, cache)).isInstanceOf(KerasImportException.class)
			.hasMessageContaining("model_config");

		// weights that do not fit the layer: TF rejects the matmul while the graph is
		// built
		Path wrongShape = new TinyKerasFile().config(TINY_CONFIG)
			.weight("hidden", "hidden/kernel:0", new float[][] { { 1, -1 }, { 2, -2 }, { 3, 3 } })
			.weight("hidden", "hidden/bias:0", new float[] { 0.5f, 0.5f })
			.weight("out", "out/kernel:0", new float[][] { { 10 }, { 100 } })
			.write(dir.resolve("wrong-shape.h5"));
		assertThatThrownBy(() -> importer.importModel(wrongShape, cache)).isInstanceOf(KerasImportException.class);

		assertThatThrownBy(() -> importer.importModel(dir.resolve("absent.h5"), cache))
			.isInstanceOf(NoSuchFileException.class);
		try (var entries = Files.list(cache.resolve("savedmodels"))) {
			assertThat(entries).as("no temporary directory is left behind").isEmpty();
		}
	}

	@Test
	void concurrentImportsOfOneFileConvertOnce() throws Exception {
		Path h5 = tinyModel(TINY_CONFIG);
		Path cache = dir.resolve("cache");
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			Callable<ImportedModel> task = () -> new KerasModelImporter().importModel(h5, cache);
			Future<ImportedModel> a = pool.submit(task);
			Future<ImportedModel> b = pool.submit(task);
			ImportedModel ma = a.get();
			ImportedModel mb = b.get();
			assertThat(ma.savedModelDir()).isEqualTo(mb.savedModelDir());
			assertThat(ma.fromCache() ^ mb.fromCache()).isTrue();
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void staleOrIncompleteCacheEntryIsReplaced() throws Exception {
		Path h5 = tinyModel(TINY_CONFIG);
		Path cache = dir.resolve("cache");
		Path target = cache.resolve("savedmodels").resolve(KerasModelImporter.sha256(h5));
		Files.createDirectories(target.resolve("variables"));
		Files.writeString(target.resolve("saved_model.pb"), "half written");
		ImportedModel m = importer.importModel(h5, cache);
		assertThat(m.fromCache()).isFalse();
		assertThat(KerasModelImporter.readMetadata(target)).isNotNull();
		assertThat(Files.size(target.resolve("saved_model.pb"))).isGreaterThan(100);
	}

}
