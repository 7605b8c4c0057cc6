package org.mlpages.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mlpages.image.photo.PhotoDecoder;
import org.mlpages.system.MlPagesProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The shipped models predicting eight photos in one batch give each photo the scores it
 * gets alone. The eight are announced before any is handed over, and the batch may wait
 * an hour for announced photos, so they surely form one batch.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MicroBatchingShippedModelTests {

	private static final Path PHOTOS = Path.of("src/test/resources/photos");

	private static final List<String> EIGHT = List.of("cdf_validation_cat.2000.jpg", "cdf_validation_dog.2000.jpg",
			"nasser0111_cat.jpg", "nasser0111_dog.jpg", "cdf_validation_cat.2004.jpg", "cdf_validation_dog.2005.jpg",
			"cdf_validation_cat.2007.jpg", "cdf_validation_dog.2009.jpg");

	@Test
	void catDogModel() throws Exception {
		batchedScoresAreTheScoresAlone("cat_dog_model");
	}

	@Test
	void catsVsDogs() throws Exception {
		batchedScoresAreTheScoresAlone("cats_vs_dogs");
	}

	private void batchedScoresAreTheScoresAlone(String name) throws Exception {
		MeterRegistry registry = new SimpleMeterRegistry();
		ExecutorService callers = Executors.newFixedThreadPool(EIGHT.size());
		try (ImageModel model = ShippedImageModels.load(name, new MlPagesProperties.Batching(8, Duration.ofHours(1)),
				registry)) {
			var input = model.preprocessor().preprocessing();
			List<float[]> tensors = new ArrayList<>();
			List<float[]> alone = new ArrayList<>();
			for (String photo : EIGHT) {
				float[] tensor = tensor(model, photo);
				tensors.add(tensor);
				alone.add(model.predict(PhotoBatch.of(tensor, input.height(), input.width()))[0]);
			}
			DistributionSummary sizes = registry.get("mlpages.inference.batch.size").tag("model", name).summary();
			long batchesBefore = sizes.count();

			List<PhotoBatcher.IncomingPhoto> announced = new ArrayList<>();
			for (int i = 0; i < EIGHT.size(); i++) {
				announced.add(model.incomingPhoto());
			}
			List<Future<float[]>> batched = new ArrayList<>();
			for (int i = 0; i < EIGHT.size(); i++) {
				PhotoBatcher.IncomingPhoto photo = announced.get(i);
				float[] tensor = tensors.get(i);
				batched.add(callers.submit(() -> {
					try (photo) {
						return photo.predict(tensor);
					}
				}));
			}

			for (int i = 0; i < EIGHT.size(); i++) {
				assertThat(batched.get(i).get()).as(EIGHT.get(i)).containsExactly(alone.get(i), within(1e-5f));
			}
			assertThat(alone.stream().map(scores -> scores[0] > scores[1]).distinct()).as("cats and dogs told apart")
				.hasSize(2);
			assertThat(sizes.count() - batchesBefore).as("one batch").isEqualTo(1);
			assertThat(sizes.max()).isEqualTo(8);
		}
		finally {
			callers.shutdownNow();
		}
	}

	private static float[] tensor(ImageModel model, String photo) throws Exception {
		byte[] bytes = Files.readAllBytes(PHOTOS.resolve(photo));
		return model.preprocessor().toTensor(new PhotoDecoder(40_000_000).decode(bytes));
	}

}
