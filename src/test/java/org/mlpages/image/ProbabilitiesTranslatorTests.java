package org.mlpages.image;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.TranslatorContext;
import org.junit.jupiter.api.Test;
import org.mlpages.keras.TensorFlowNatives;

import static org.assertj.core.api.Assertions.assertThat;
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
			NDList input = new ProbabilitiesTranslator(false).processInput(context(manager), batch);

			NDArray tensor = input.singletonOrThrow();
			assertThat(tensor.getShape().getShape()).containsExactly(3, HEIGHT, WIDTH, 3);
			assertThat(tensor.toFloatArray()).containsExactly(batch.data());
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
		ProbabilitiesTranslator translator = new ProbabilitiesTranslator(false);
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
		return new PhotoBatch(data, count, HEIGHT, WIDTH);
	}

}
