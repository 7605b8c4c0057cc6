package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two real {@code .keras} files as their authors saved them with Keras 3.1.1 and 3.8.0,
 * against outputs computed without Keras or TensorFlow (see keras/NOTICE.md). The 3.8.0
 * file's layers are named {@code conv2d_6} ... {@code dense_5} while its weights are
 * stored under {@code layers/conv2d} ... {@code layers/dense_1}: the numbering by class
 * within the model, not the layer names, finds them.
 */
class Keras3ArchiveFixturesTest {

	@TempDir
	static Path cache;

	@BeforeAll
	static void natives() {
		TestSupport.loadNatives();
	}

	@ParameterizedTest(name = "{0} (Keras {1})")
	@CsvSource({ "nhanphamthanh_mnist_model, 3.8.0", "moonflower_mnist_model, 3.1.1" })
	void agreesWithTheIndependentReference(String name, String version) throws Exception {
		ImportedModel model = new KerasModelImporter().importModel(TestSupport.fixture("keras3/" + name + ".keras"),
				cache);

		assertThat(model.kerasVersion()).isEqualTo(version);
		assertThat(model.inputShape()).containsExactly(-1, 28, 28, 1);
		assertThat(model.outputSize()).isEqualTo(10);
		Npy.Array input = Npy.read(TestSupport.fixture("keras3/expected/" + name + "/input.npy"));
		Npy.Array expected = Npy.read(TestSupport.fixture("keras3/expected/" + name + "/output.npy"));
		Npy.Array actual = TestSupport.run(model, input);
		assertThat(actual.shape()).containsExactly(8, 10);
		assertThat(TestSupport.maxAbsDifference(actual, expected)).as("max abs difference").isLessThanOrEqualTo(1e-4);
	}

}
