package org.mlpages.image.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlpages.keras.ImportedModel;
import org.mlpages.keras.KerasFeatureExtractor;
import org.mlpages.keras.KerasModelCut;
import org.mlpages.keras.KerasModelImporter;
import org.mlpages.keras.TensorFlowNatives;
import org.mlpages.keras.Npy;
import org.mlpages.keras.SavedModelRunner;

/**
 * Cutting and extending the other Keras layouts of the keras tests' generated fixtures
 * (Functional, nested models, Keras 2.2's {@code Model}): the base cut at its last
 * pooling layer plus a random head, written and imported again, must compute what the cut
 * base's features through that head compute.
 */
class KerasModelCutLayoutsTest {

	static final Path GENERATED = Path.of("src", "test", "resources", "keras", "generated");

	@TempDir
	static Path work;

	@BeforeAll
	static void natives() {
		TensorFlowNatives.ensureLoaded(ImageHeadTrainerTest.CACHE);
	}

	@ParameterizedTest
	@ValueSource(strings = { "layout_tf_keras_2_11_functional.h5", "layout_tf_keras_2_11_nested.h5",
			"layout_tf_keras_2_16_nested.h5", "layout_keras_2_2_functional.h5", "layout_tf_keras_2_16_sequential.h5" })
	void cutBasePlusHeadRoundTrips(String fixture) throws IOException {
		Path out = work.resolve(fixture.replace(".h5", "_head.h5"));
		Random random = new Random(1);
		float[] input;
		float[] features;
		LinearHead head;
		long[] shape;
		try (KerasModelCut cut = KerasModelCut.open(GENERATED.resolve(fixture), null);
				KerasFeatureExtractor fx = cut.openExtractor(ImageHeadTrainerTest.CACHE)) {
			shape = fx.inputShape();
			shape[0] = 3;
			input = new float[3 * fx.inputSize()];
			for (int i = 0; i < input.length; i++) {
				input[i] = (float) random.nextGaussian();
			}
			features = fx.extract(input, 3);
			float[][] kernel = new float[fx.featureSize()][3];
			for (float[] row : kernel) {
				for (int c = 0; c < 3; c++) {
					row[c] = (float) random.nextGaussian();
				}
			}
			head = new LinearHead(kernel, new float[] { 0.1f, -0.2f, 0.3f });
			cut.writeWithDenseHead(out, "trained_head", head.kernel(), head.bias(), "softmax");
		}
		ImportedModel imported = new KerasModelImporter().importModel(out, ImageHeadTrainerTest.CACHE);
		assertEquals(3, imported.outputSize(), fixture);
		Npy.Array y;
		try (SavedModelRunner runner = new SavedModelRunner(imported)) {
			y = runner.run(shape, input);
		}
		int d = head.features();
		for (int i = 0; i < 3; i++) {
			double[] expected = head.probabilities(features, i * d);
			for (int c = 0; c < 3; c++) {
				assertEquals(expected[c], y.values()[i * 3 + c], 1e-5, fixture + " row " + i + " class " + c);
			}
		}
		assertTrue(imported.layerSummary().get(imported.layerCount() - 1).startsWith("trained_head"),
				imported.layerSummary().toString());
	}

}
