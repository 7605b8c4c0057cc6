package org.mlpages.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Class activation maps of models that end in global average pooling and a softmax Dense
 * layer, in each Keras 2 layout (Functional, nested, Keras 2.2's {@code Model}): the
 * generated fixtures' bases cut at their pooling, given a random three-class head and
 * written. Each class's map averages to the score the imported model, run as it is
 * served, turns into its probabilities. Models that end otherwise have no maps.
 */
class ClassActivationMapsTest {

	private static final Path GENERATED = Path.of("src", "test", "resources", "keras", "generated");

	private static final Path CACHE = Path.of("target", "tf-natives");

	@TempDir
	static Path work;

	@BeforeAll
	static void natives() {
		TensorFlowNatives.ensureLoaded(CACHE);
	}

	@ParameterizedTest
	@CsvSource({ "layout_tf_keras_2_2_tf_functional.h5", "layout_tf_keras_2_11_nested.h5",
			"layout_tf_keras_2_16_nested.h5", "layout_keras_2_2_functional.h5" })
	void eachClassMapAveragesToTheServedModelsScore(String fixture) throws IOException {
		Path model = work.resolve(fixture.replace(".h5", "_softmax.h5"));
		Random random = new Random(3);
		String convolution;
		try (KerasModelCut cut = KerasModelCut.open(GENERATED.resolve(fixture), null);
				KerasFeatureExtractor fx = cut.openExtractor(CACHE)) {
			float[][] kernel = new float[fx.featureSize()][3];
			for (float[] row : kernel) {
				for (int c = 0; c < 3; c++) {
					row[c] = (float) random.nextGaussian();
				}
			}
			cut.writeWithDenseHead(model, "trained_head", kernel, new float[] { 0.1f, -0.2f, 0.3f }, "softmax");
			convolution = ModelDefinition.parse(cut.config())
				.layers()
				.stream()
				.flatMap(ClassActivationMapsTest::leaves)
				.filter(def -> def.className().equals("Conv2D"))
				.reduce((first, second) -> second)
				.orElseThrow()
				.name();
		}
		ImportedModel imported = new KerasModelImporter().importModel(model, CACHE);
		long[] shape = imported.inputShape();
		shape[0] = 1;
		float[] image = new float[(int) (shape[1] * shape[2] * shape[3])];
		for (int i = 0; i < image.length; i++) {
			image[i] = (float) random.nextGaussian();
		}
		Npy.Array served;
		try (SavedModelRunner runner = new SavedModelRunner(imported)) {
			served = runner.run(shape, image);
		}

		try (ClassActivationMaps activationMaps = ClassActivationMaps.open(model, CACHE).orElseThrow()) {
			assertEquals(convolution, activationMaps.featureLayer(), "the maps are made of the last convolution");
			assertEquals(3, activationMaps.classes());
			assertEquals("softmax", activationMaps.activation());
			float[][] maps = activationMaps.maps(image);
			assertEquals(3, maps.length);
			assertEquals(activationMaps.rows() * activationMaps.cols(), maps[0].length);
			float[] probabilities = ClassActivationMaps.probabilities(maps);
			for (int c = 0; c < 3; c++) {
				assertEquals(served.values()[c], probabilities[c], 1e-5, fixture + " class " + c);
			}
		}
		assertTrue(ClassActivationMaps.fits(model));
	}

	/**
	 * A sigmoid Dense layer (the fixtures' own heads), max pooling and Flatten, no Dense
	 * layer after the pooling, a Keras 3 file: no maps, and nothing built to find out.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "layout_tf_keras_2_11_nested.h5", "layout_tf_keras_2_11_functional.h5",
			"global_average_pooling2d_keepdims.h5", "layout_keras_3_functional.h5", "flatten_dense.h5" })
	void modelsThatEndOtherwiseHaveNone(String fixture) throws IOException {
		assertTrue(ClassActivationMaps.open(GENERATED.resolve(fixture), CACHE).isEmpty(), fixture);
		assertTrue(!ClassActivationMaps.fits(GENERATED.resolve(fixture)), fixture);
	}

	@ParameterizedTest
	@ValueSource(strings = { "keras3/moonflower_mnist_model.keras" })
	void kerasArchivesHaveNone(String file) throws IOException {
		assertTrue(ClassActivationMaps.open(Path.of("src", "test", "resources", "keras", file), CACHE).isEmpty());
	}

	private static java.util.stream.Stream<ModelDefinition.LayerDef> leaves(ModelDefinition.LayerDef def) {
		return def.nested() == null ? java.util.stream.Stream.of(def)
				: def.nested().layers().stream().flatMap(ClassActivationMapsTest::leaves);
	}

}
