package org.mlpages.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.system.TestProperties;

/**
 * A model retired (or a draft tried again) while photos are being predicted: each photo
 * gets its answer or fails as for a closed model, and the process lives on. Closing a DJL
 * predictor while it predicts crashes TensorFlow, and the JVM with it, so a failure of
 * this test is the test run dying.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModelClosedWhilePredictingTests {

	@Test
	void photosInFlightAreAnsweredOrFailAsForAClosedModel() throws Exception {
		MlPagesProperties properties = TestProperties.shippedModels(Path.of("target/test-cache").toAbsolutePath(), 2,
				1);
		ImageModel model = new ImageModelLoader(properties).load("cats_vs_dogs", Path.of("models/cats_vs_dogs.h5"),
				Path.of("models/cats_vs_dogs.yml"));
		var input = model.preprocessor().preprocessing();
		ExecutorService callers = Executors.newFixedThreadPool(4);
		CountDownLatch started = new CountDownLatch(4);
		List<Future<int[]>> outcomes = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			outcomes.add(callers.submit(() -> {
				int answered = 0;
				int closed = 0;
				started.countDown();
				while (closed == 0) {
					try {
						model.predict(
								FlatPhotos.split(new float[input.tensorSize() * 2], 2, input.height(), input.width()));
						answered++;
					}
					catch (ModelClosedException ex) {
						closed++;
					}
				}
				return new int[] { answered, closed };
			}));
		}
		started.await();
		Thread.sleep(300);
		model.close();
		int answered = 0;
		for (Future<int[]> outcome : outcomes) {
			int[] counts = outcome.get(60, TimeUnit.SECONDS);
			answered += counts[0];
			assertThat(counts[1]).as("each caller is told the model closed").isEqualTo(1);
		}
		callers.shutdown();
		assertThat(answered).as("photos predicted before the close").isPositive();
	}

}
