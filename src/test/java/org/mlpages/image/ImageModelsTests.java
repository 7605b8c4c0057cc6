package org.mlpages.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.context.MessageSource;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpages.catalog.ModelCard;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.system.TestProperties;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The background load's states, with a loader that waits for the test instead of
 * TensorFlow: loading, then failed or ready, and never both or neither.
 */
class ImageModelsTests {

	@TempDir
	Path dir;

	@Test
	void aModelIsLoadingUntilItsLoaderReturns() throws Exception {
		BlockingLoader loader = new BlockingLoader();
		ImageModels models = new ImageModels(properties(true, Duration.ofSeconds(10)), loader, messages(), event -> {
		});
		assertThat(loader.started.await(10, TimeUnit.SECONDS)).isTrue();

		assertThat(models.isLoading("cat")).isTrue();
		assertThat(models.find("cat")).isEmpty();
		assertThat(models.modelCards(Locale.ENGLISH)).singleElement()
			.satisfies(card -> assertThat(card.status()).isEqualTo(ModelCard.Status.LOADING));
		assertThat(models.awaitReady("cat", Duration.ofMillis(50))).isEmpty();
		assertThatIllegalStateException().isThrownBy(() -> models.publish("cat"));

		loader.release.countDown();
		assertThat(models.awaitReady("cat", Duration.ofSeconds(10))).isEmpty();
		assertThat(models.isLoading("cat")).isFalse();
		assertThat(models.modelCards(Locale.ENGLISH)).singleElement().satisfies(card -> {
			assertThat(card.status()).isEqualTo(ModelCard.Status.FAILED);
			assertThat(card.error()).isEqualTo("broken on purpose");
		});
		models.destroy();
	}

	@Test
	void aPhotoForAModelStillLoadingGetsA503SayingSoThenA404OnceTheModelFailed() throws Exception {
		MlPagesProperties properties = properties(true, Duration.ofMillis(100));
		BlockingLoader loader = new BlockingLoader();
		ImageModels models = new ImageModels(properties, loader, messages(), event -> {
		});
		ImageClassificationService service = new ImageClassificationService(models, new UploadStore(properties), null,
				new PhotosInMemory(properties), new PhotoQueue(properties), properties);
		assertThat(loader.started.await(10, TimeUnit.SECONDS)).isTrue();

		assertThatExceptionOfType(InputRejectedException.class).isThrownBy(() -> service.model("cat")).satisfies(ex -> {
			assertThat(ex.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(ex.messageKey()).isEqualTo("model.loading");
			assertThat(ex.messageArguments()).containsExactly("cat");
		});

		loader.release.countDown();
		assertThat(models.awaitReady("cat", Duration.ofSeconds(10))).isEmpty();
		assertThatExceptionOfType(InputRejectedException.class).isThrownBy(() -> service.model("cat"))
			.satisfies(ex -> assertThat(ex.status()).isEqualTo(HttpStatus.NOT_FOUND));
		models.destroy();
	}

	@Test
	void withoutBackgroundLoadingTheConstructorLoadsEveryModel() throws Exception {
		Files.writeString(dir.resolve("dog.h5"), "not a model");
		MlPagesProperties properties = properties(false, Duration.ofSeconds(10));
		ImageModels models = new ImageModels(properties, new ImageModelLoader(properties), messages(), event -> {
		});
		assertThat(models.isLoading("dog")).isFalse();
		assertThat(models.modelCards(Locale.ENGLISH)).singleElement()
			.satisfies(card -> assertThat(card.status()).isEqualTo(ModelCard.Status.FAILED));
	}

	private MlPagesProperties properties(boolean background, Duration loadingWait) {
		return new MlPagesProperties(dir, dir.resolve("uploads"), dir.resolve("data"), dir.resolve("cache"),
				TestProperties.upload(), TestProperties.image(1, 1, background, loadingWait));
	}

	/**
	 * Stands for TensorFlow: a model "cat" whose load waits for the test, then fails.
	 */
	private final class BlockingLoader extends ImageModelLoader {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		BlockingLoader() throws IOException {
			super(properties(true, Duration.ofSeconds(10)));
			Files.writeString(dir.resolve("cat.h5"), "not a model");
			Files.writeString(dir.resolve("cat.yml"), "title: {en: Cat}\n");
		}

		@Override
		public ImageModel load(String name, Path modelFile, Path descriptorFile) throws IOException {
			started.countDown();
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			throw new IOException("broken on purpose");
		}

	}

	private static MessageSource messages() {
		ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
		messages.setBasename("messages/messages");
		messages.setDefaultEncoding("UTF-8");
		return messages;
	}

}
