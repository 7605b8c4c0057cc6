package org.mlpages.image;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.system.TestProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The photo queue on its own, with one worker and one place: what waits, what is refused
 * at once, what is refused for having waited too long, and what a stop lets finish.
 */
class PhotoQueueTest {

	private final PhotoQueue queue = new PhotoQueue(properties(Duration.ofMillis(200)));

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void stop() {
		release.countDown();
		if (queue.isRunning()) {
			queue.stop();
		}
	}

	@Test
	void aPhotoBeyondTheWorkersAndThePlacesIsRefusedAtOnce() {
		queue.start();
		CompletableFuture<String> first = queue.submit(this::held);
		CompletableFuture<String> second = queue.submit(() -> "second");

		assertThatExceptionOfType(InputRejectedException.class).isThrownBy(() -> queue.submit(() -> "third"))
			.satisfies(ex -> assertThat(ex.messageKey()).isEqualTo("photos.busy"));
		assertThat(queue.waiting()).isEqualTo(1);

		release.countDown();
		assertThat(first.join()).isEqualTo("first");
		assertThat(second.join()).isEqualTo("second");
	}

	@Test
	void aPhotoThatWaitedPastTheLimitIsRefusedWithoutBeingClassified() throws Exception {
		queue.start();
		CompletableFuture<String> first = queue.submit(this::held);
		boolean[] classified = new boolean[1];
		CompletableFuture<String> late = queue.submit(() -> {
			classified[0] = true;
			return "late";
		});
		Thread.sleep(300);
		release.countDown();

		assertThat(first.join()).isEqualTo("first");
		assertThatExceptionOfType(CompletionException.class).isThrownBy(late::join)
			.havingCause()
			.isInstanceOf(InputRejectedException.class);
		assertThat(classified[0]).isFalse();
	}

	@Test
	void aStopLetsTheQueuedPhotosFinishAndRefusesNewOnes() throws Exception {
		queue.start();
		CompletableFuture<String> first = queue.submit(this::held);
		new Thread(() -> {
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			release.countDown();
		}).start();

		queue.stop();

		assertThat(first.get(1, TimeUnit.SECONDS)).isEqualTo("first");
		assertThatExceptionOfType(InputRejectedException.class).isThrownBy(() -> queue.submit(() -> "after"));
	}

	private String held() {
		try {
			release.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return "first";
	}

	private static MlPagesProperties properties(Duration maxWait) {
		MlPagesProperties shipped = TestProperties.shippedModels(Path.of("target/test-cache"), 1, 1);
		MlPagesProperties.Image image = shipped.image();
		return new MlPagesProperties(shipped.modelsDir(), shipped.uploadsDir(), shipped.dataDir(), shipped.cacheDir(),
				shipped.upload(),
				new MlPagesProperties.Image(image.maxPixels(), image.minSide(), image.predictorPoolSize(),
						image.intraOpThreads(), image.interOpThreads(), image.backgroundLoading(), image.loadingWait(),
						image.batching(), image.inMemory(), new MlPagesProperties.Queue(1, 1, maxWait)));
	}

}
