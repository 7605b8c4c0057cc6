package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KerasH5FileTest {

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "cat_dog_model.h5", "keras_model_tm_export.h5" })
	void nestedModelWeightsAreFoundByLeafNameInTheTopLevelGroup(String fixture) {
		try (KerasH5File file = KerasH5File.open(TestSupport.fixture(fixture))) {
			assertThat(file.layerNames()).containsExactly("sequential_1", "sequential_3");
			assertThat(file.backend()).isEqualTo("tensorflow");

			LayerWeights conv = file.weightsFor("sequential_1", "Conv1", true);
			assertThat(conv.all()).containsOnlyKeys("kernel");
			assertThat(conv.require("kernel").shape()).containsExactly(3, 3, 3, 16);

			// Keras 2.4 lists a nested model's weights trainable-first, tf_keras 2.20
			// layer by layer:
			// lookup by name makes both the same.
			LayerWeights bn = file.weightsFor("sequential_1", "bn_Conv1", true);
			assertThat(bn.all()).containsOnlyKeys("gamma", "beta", "moving_mean", "moving_variance");

			// a prefix of another layer's name must not match (Conv1 vs Conv1_pad /
			// Conv_1)
			assertThat(file.weightsFor("sequential_1", "Conv1_pad", true).isEmpty()).isTrue();

			assertThat(file.weightsFor("sequential_3", "dense_Dense2", true).all()).containsOnlyKeys("kernel");
			assertThat(file.weightsFor("sequential_3", "dense_Dense1", true).require("kernel").shape())
				.containsExactly(1280, 100);
		}
	}

	@Test
	void bothFixturesShareTheBaseWeights() {
		try (KerasH5File a = KerasH5File.open(TestSupport.fixture("cat_dog_model.h5"));
				KerasH5File b = KerasH5File.open(TestSupport.fixture("keras_model_tm_export.h5"))) {
			assertThat(a.weightsFor("sequential_1", "Conv1", true).require("kernel").data())
				.containsExactly(b.weightsFor("sequential_1", "Conv1", true).require("kernel").data());
			assertThat(a.kerasVersion()).isEqualTo("2.20.1");
			assertThat(b.kerasVersion()).isEqualTo("2.4.0");
		}
	}

	@Test
	void emptyFloat64WeightNamesReadAsNoWeights() {
		// tf_keras writes top_level_model_weights with weight_names as an empty float64
		// array
		try (KerasH5File file = KerasH5File.open(TestSupport.fixture("cat_dog_model.h5"))) {
			assertThat(file.weightsFor("top_level_model_weights", "top_level_model_weights", false).isEmpty()).isTrue();
		}
	}

	@Test
	void splitLayerNamesAndTopLevelLeafWeights() {
		Path h5 = new TinyKerasFile().config("{}")
			.splitLayerNames(2)
			.weight("dense", "dense/kernel:0", new float[][] { { 1, 2 }, { 3, 4 } })
			.weight("dense", "dense/bias:0", new float[] { 5, 6 })
			.group("dropout")
			.weight("out", "out/kernel:0", new float[][] { { 7 } })
			.write(dir.resolve("tiny.h5"));
		try (KerasH5File file = KerasH5File.open(h5)) {
			assertThat(file.layerNames()).containsExactly("dense", "dropout", "out");
			LayerWeights dense = file.weightsFor("dense", "dense", false);
			assertThat(dense.all()).containsOnlyKeys("kernel", "bias");
			assertThat(dense.require("kernel").data()).containsExactly(1, 2, 3, 4);
			assertThat(file.weightsFor("dropout", "dropout", false).isEmpty()).isTrue();
			assertThat(file.weightsFor("missing", "missing", false).isEmpty()).isTrue();
		}
	}

	@Test
	void weightNameParsing() {
		assertThat(KerasH5File.shortName("Conv1/kernel:0")).isEqualTo("kernel");
		assertThat(KerasH5File.shortName("sequential_1/bn/moving_mean:0")).isEqualTo("moving_mean");
		assertThat(KerasH5File.shortName("kernel")).isEqualTo("kernel");
		assertThat(KerasH5File.belongsTo("sequential_1/Conv1/kernel:0", "Conv1")).isTrue();
		assertThat(KerasH5File.belongsTo("Conv1/kernel:0", "Conv1")).isTrue();
		assertThat(KerasH5File.belongsTo("Conv1_pad/kernel:0", "Conv1")).isFalse();
		assertThat(KerasH5File.belongsTo("Conv1/kernel:0", "kernel:0")).isFalse();
	}

	@Test
	void notHdf5IsAnImportError() throws Exception {
		Path junk = Files.writeString(dir.resolve("junk.h5"), "this is not an HDF5 file");
		assertThatThrownBy(() -> KerasH5File.open(junk).close()).isInstanceOf(KerasImportException.class)
			.hasMessageContaining("HDF5");
	}

	@Test
	void weightsOnlyFileHasNoModelConfig() {
		Path h5 = new TinyKerasFile().weight("d", "d/kernel:0", new float[][] { { 1 } }).write(dir.resolve("w.h5"));
		try (KerasH5File file = KerasH5File.open(h5)) {
			assertThatThrownBy(file::modelConfigJson).isInstanceOf(KerasImportException.class)
				.hasMessageContaining("model_config");
		}
	}

}
