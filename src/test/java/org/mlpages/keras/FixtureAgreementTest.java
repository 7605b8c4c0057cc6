package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.GraphOperation;
import org.tensorflow.SavedModelBundle;

/**
 * Imports the two real Teachable Machine exports and checks the SavedModel, run through
 * DJL, against outputs computed by an independent float64 implementation of Keras
 * inference.
 */
class FixtureAgreementTest {

	private static final int IMAGES = 22;

	private static final int PIXELS = 224 * 224 * 3;

	private static final int BATCH = 8;

	@TempDir
	static Path cache;

	private static float[] input;

	@BeforeAll
	static void setUp() {
		TestSupport.loadNatives();
		input = TestSupport.readFloats("expected/input.bin.gz", true);
		assertThat(input).hasSize(IMAGES * PIXELS);
	}

	@ParameterizedTest
	@ValueSource(strings = { "cat_dog_model", "keras_model_tm_export" })
	void savedModelAgreesWithReferenceOutputs(String model) throws Exception {
		ImportedModel imported = new KerasModelImporter().importModel(TestSupport.fixture(model + ".h5"), cache);
		System.out.println(model + ": " + imported);
		assertThat(imported.fromCache()).isFalse();
		assertThat(imported.inputShape()).containsExactly(-1, 224, 224, 3);
		assertThat(imported.outputSize()).isEqualTo(2);

		float[] expected = TestSupport.readFloats("expected/" + model + "/output.bin", false);
		float[] actual = predict(imported.savedModelDir());
		assertThat(actual).hasSize(expected.length);

		double maxDiff = 0;
		for (int i = 0; i < expected.length; i++) {
			maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
		}
		System.out.printf("%s: max abs diff %.3g over %d outputs%n", model, maxDiff, expected.length);
		assertThat(maxDiff).isLessThanOrEqualTo(1e-4);
	}

	@ParameterizedTest
	@ValueSource(strings = { "cat_dog_model", "keras_model_tm_export" })
	void mobileNetsPaddingAndNormalisationStepsAreFoldedIntoTheirConvolutions(String model, @TempDir Path own)
			throws Exception {
		ImportedModel imported = new KerasModelImporter().importModel(TestSupport.fixture(model + ".h5"), own);
		Map<String, Integer> types = new TreeMap<>();
		int samePaddedStrideTwo = 0;
		try (SavedModelBundle bundle = SavedModelBundle.load(imported.savedModelDir().toString(), "serve")) {
			for (Iterator<GraphOperation> ops = bundle.graph().operations(); ops.hasNext();) {
				GraphOperation op = ops.next();
				types.merge(op.type(), 1, Integer::sum);
				if (op.type().equals("Conv2D") || op.type().equals("DepthwiseConv2dNative")) {
					boolean strideTwo = op.attributes().getAttrIntList("strides")[1] == 2;
					samePaddedStrideTwo += strideTwo && op.attributes().getAttrString("padding").equals("SAME") ? 1 : 0;
				}
			}
		}
		// MobileNetV2: 35 convolutions and 17 depthwise ones, each followed by a
		// BatchNormalization; five ZeroPadding2D, each before a stride-2 'valid' one
		assertThat(types).containsEntry("Conv2D", 35).containsEntry("DepthwiseConv2dNative", 17);
		assertThat(types).doesNotContainKeys("Pad", "PadV2", "Mul");
		assertThat(types.get("BiasAdd")).as("one bias per convolution, and the dense layers'")
			.isGreaterThanOrEqualTo(52);
		assertThat(samePaddedStrideTwo).isEqualTo(5);
	}

	private static float[] predict(Path savedModel) throws Exception {
		Criteria<NDList, NDList> criteria = Criteria.builder()
			.setTypes(NDList.class, NDList.class)
			.optEngine("TensorFlow")
			.optModelPath(savedModel)
			.build();
		float[] out = new float[IMAGES * 2];
		try (ZooModel<NDList, NDList> model = criteria.loadModel();
				Predictor<NDList, NDList> predictor = model.newPredictor();
				NDManager manager = NDManager.newBaseManager("TensorFlow")) {
			for (int first = 0; first < IMAGES; first += BATCH) {
				int n = Math.min(BATCH, IMAGES - first);
				float[] batch = Arrays.copyOfRange(input, first * PIXELS, (first + n) * PIXELS);
				try (NDManager sub = manager.newSubManager()) {
					NDArray x = sub.create(batch, new Shape(n, 224, 224, 3));
					NDList result = predictor.predict(new NDList(x));
					float[] y = result.singletonOrThrow().toFloatArray();
					System.arraycopy(y, 0, out, first * 2, n * 2);
				}
			}
		}
		return out;
	}

}
