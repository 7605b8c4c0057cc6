package org.mlpages.image;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.TranslatorContext;
import org.junit.jupiter.api.Test;
import org.mlpages.image.photo.Preprocessing;
import org.mlpages.image.photo.ResizeMode;
import org.mlpages.keras.TensorFlowNatives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The batch reaches TensorFlow as it is, and on its way leaves no native memory for the
 * garbage collector to free.
 */
class ProbabilitiesTranslatorTests {

	private static final int HEIGHT = 224;

	private static final int WIDTH = 224;

	@Test
	void theTensorHoldsTheBatchInItsOrder() throws Exception {
		TensorFlowNatives.ensureLoaded(Path.of("target", "tf-natives"));
		PhotoBatch batch = batch(3);
		try (NDManager manager = NDManager.newBaseManager("TensorFlow")) {
			NDList input = new ProbabilitiesTranslator(io(4, ImageModelIo.Output.SOFTMAX, -1))
				.processInput(context(manager), batch);

			NDArray tensor = input.singletonOrThrow();
			assertThat(tensor.getShape().getShape()).containsExactly(3, HEIGHT, WIDTH, 3);
			float[] expected = new float[3 * batch.perPhoto()];
			for (int i = 0; i < 3; i++) {
				System.arraycopy(batch.photos().get(i), 0, expected, i * batch.perPhoto(), batch.perPhoto());
			}
			assertThat(tensor.toFloatArray()).containsExactly(expected);
		}
	}

	@Test
	void noDirectBufferIsLeftForTheGarbageCollector() throws Exception {
		TensorFlowNatives.ensureLoaded(Path.of("target", "tf-natives"));
		PhotoBatch batch = batch(8);
		BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
			.stream()
			.filter(pool -> pool.getName().equals("direct"))
			.findFirst()
			.orElseThrow();
		ProbabilitiesTranslator translator = new ProbabilitiesTranslator(io(4, ImageModelIo.Output.SOFTMAX, -1));
		try (NDManager manager = NDManager.newBaseManager("TensorFlow")) {
			long before = direct.getMemoryUsed();
			for (int i = 0; i < 10; i++) {
				try (NDManager call = manager.newSubManager()) {
					translator.processInput(context(call), batch);
				}
			}
			// DJL copying a heap buffer left a 4.8 MB direct buffer per call (48 MB here)
			assertThat(direct.getMemoryUsed() - before).isLessThan(1 << 20);
		}
	}

	@Test
	void greyAndFlatInputsTakeTheModelsShape() throws Exception {
		TensorFlowNatives.ensureLoaded(Path.of("target", "tf-natives"));
		PhotoBatch grey = FlatPhotos.split(new float[2 * 28 * 28], 2, 28, 28, 1);
		try (NDManager manager = NDManager.newBaseManager("TensorFlow")) {
			assertThat(new ProbabilitiesTranslator(io(4, ImageModelIo.Output.SOFTMAX, -1))
				.processInput(context(manager), grey)
				.singletonOrThrow()
				.getShape()
				.getShape()).containsExactly(2, 28, 28, 1);
			assertThat(new ProbabilitiesTranslator(io(3, ImageModelIo.Output.SOFTMAX, -1))
				.processInput(context(manager), grey)
				.singletonOrThrow()
				.getShape()
				.getShape()).containsExactly(2, 28, 28);
			assertThat(new ProbabilitiesTranslator(io(2, ImageModelIo.Output.SOFTMAX, -1))
				.processInput(context(manager), grey)
				.singletonOrThrow()
				.getShape()
				.getShape()).containsExactly(2, 784);
		}
	}

	@Test
	void oneSigmoidUnitIsThePositiveLabelsProbabilityAndTheOtherGetsTheRest() throws Exception {
		TensorFlowNatives.ensureLoaded(Path.of("target", "tf-natives"));
		try (NDManager manager = NDManager.newBaseManager("TensorFlow")) {
			NDList sigmoid = new NDList(
					manager.create(new float[] { 0.9f, 0.25f }, new ai.djl.ndarray.types.Shape(2, 1)));
			float[][] dogPositive = new ProbabilitiesTranslator(io(4, ImageModelIo.Output.SIGMOID, 1))
				.processOutput(context(manager), sigmoid);
			assertThat(dogPositive[0]).containsExactly(new float[] { 0.1f, 0.9f }, within(1e-6f));
			assertThat(dogPositive[1]).containsExactly(new float[] { 0.75f, 0.25f }, within(1e-6f));
			float[][] catPositive = new ProbabilitiesTranslator(io(4, ImageModelIo.Output.SIGMOID, 0))
				.processOutput(context(manager), sigmoid);
			assertThat(catPositive[0]).containsExactly(new float[] { 0.9f, 0.1f }, within(1e-6f));
		}
	}

	@Test
	void logitsBecomeProbabilities() throws Exception {
		TensorFlowNatives.ensureLoaded(Path.of("target", "tf-natives"));
		try (NDManager manager = NDManager.newBaseManager("TensorFlow")) {
			NDList three = new NDList(manager.create(new float[] { 0, (float) Math.log(2), (float) Math.log(5) },
					new ai.djl.ndarray.types.Shape(1, 3)));
			assertThat(new ProbabilitiesTranslator(io(4, ImageModelIo.Output.LOGITS, -1))
				.processOutput(context(manager), three)[0])
				.containsExactly(new float[] { 0.125f, 0.25f, 0.625f }, within(1e-6f));
			NDList one = new NDList(
					manager.create(new float[] { (float) Math.log(3) }, new ai.djl.ndarray.types.Shape(1, 1)));
			assertThat(new ProbabilitiesTranslator(io(4, ImageModelIo.Output.LOGITS, 1)).processOutput(context(manager),
					one)[0])
				.containsExactly(new float[] { 0.25f, 0.75f }, within(1e-6f));
		}
	}

	private static ImageModelIo io(int rank, ImageModelIo.Output output, int positive) {
		return new ImageModelIo(new Preprocessing(ResizeMode.CENTER_CROP, WIDTH, HEIGHT, 1, 0), rank, output, positive);
	}

	private static TranslatorContext context(NDManager manager) {
		TranslatorContext context = mock(TranslatorContext.class);
		when(context.getNDManager()).thenReturn(manager);
		return context;
	}

	private static PhotoBatch batch(int count) {
		float[] data = new float[count * HEIGHT * WIDTH * 3];
		for (int i = 0; i < data.length; i++) {
			data[i] = (i % 997) / 997f - 0.5f;
		}
		return FlatPhotos.split(data, count, HEIGHT, WIDTH);
	}

}
