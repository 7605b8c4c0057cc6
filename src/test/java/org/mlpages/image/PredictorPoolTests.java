package org.mlpages.image;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.mlpages.image.photo.PhotoDecoder;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.system.TestProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A batch split over the idle predictors gives each photo the answer it gets alone, in
 * the batch's order.
 */
class PredictorPoolTests {

	private static final Path PHOTOS = Path.of("src/test/resources/photos");

	@Test
	void aSplitBatchAnswersEachPhotoInItsPlace() throws Exception {
		Path cache = Path.of("target/test-cache").toAbsolutePath();
		MlPagesProperties properties = TestProperties.shippedModels(cache, 2, 1);
		try (ImageModel model = new ImageModelLoader(properties).load("cat_dog_model",
				Path.of("models/cat_dog_model.h5"), Path.of("models/cat_dog_model.yml"))) {
			float[] cat = tensor(model, "nasser0111_cat.jpg");
			float[] dog = tensor(model, "cdf_validation_dog.2005.jpg");
			var input = model.preprocessor().preprocessing();
			float[] three = new float[3 * cat.length];
			System.arraycopy(cat, 0, three, 0, cat.length);
			System.arraycopy(dog, 0, three, cat.length, dog.length);
			System.arraycopy(cat, 0, three, 2 * cat.length, cat.length);

			// both predictors are idle: the batch goes out in two slices, [cat] and [dog,
			// cat]
			float[][] batch = model.predict(FlatPhotos.split(three, 3, input.height(), input.width()));
			float[] catAlone = model.predict(PhotoBatch.of(cat, input.height(), input.width()))[0];
			float[] dogAlone = model.predict(PhotoBatch.of(dog, input.height(), input.width()))[0];

			assertThat(catAlone).isNotEqualTo(dogAlone);
			assertThat(batch).hasNumberOfRows(3);
			assertThat(batch[0]).containsExactly(catAlone, within(1e-5f));
			assertThat(batch[1]).containsExactly(dogAlone, within(1e-5f));
			assertThat(batch[2]).containsExactly(catAlone, within(1e-5f));
		}
	}

	private static float[] tensor(ImageModel model, String photo) throws Exception {
		byte[] bytes = Files.readAllBytes(PHOTOS.resolve(photo));
		return model.preprocessor().toTensor(new PhotoDecoder(40_000_000).decode(bytes));
	}

}
