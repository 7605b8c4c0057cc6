package org.mlpages.image;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.system.TestProperties;

import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PhotosInMemoryTest {

	private static final long KIB = 1024;

	@Test
	void aPhotoReservesItsBytesTwiceAndItsTensorAndGivesThemBackOnce() {
		PhotosInMemory memory = budget(DataSize.ofMegabytes(4), Duration.ZERO);
		PhotosInMemory.Room room = memory.reserve(500 * KIB, 224 * 224 * 3);
		// 2 x 500 KiB + 224 x 224 x 3 floats of 4 bytes (588 KiB)
		assertThat(memory.available()).isEqualTo(4096 * KIB - 1000 * KIB - 588 * KIB);
		room.close();
		room.close();
		assertThat(memory.available()).isEqualTo(4096 * KIB);
	}

	@Test
	void withNoRoomAPhotoIsRefusedWithA503ToTryAgain() {
		PhotosInMemory memory = budget(DataSize.ofMegabytes(1), Duration.ofMillis(50));
		try (PhotosInMemory.Room first = memory.reserve(400 * KIB, 0)) {
			assertThatExceptionOfType(InputRejectedException.class).isThrownBy(() -> memory.reserve(200 * KIB, 0))
				.satisfies(ex -> {
					assertThat(ex.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
					assertThat(ex.messageKey()).isEqualTo("photos.busy");
				});
			// what fits still goes through
			memory.reserve(100 * KIB, 0).close();
		}
		memory.reserve(500 * KIB, 0).close();
	}

	@Test
	void aPhotoLargerThanTheWholeBudgetWaitsToHaveItAlone() throws Exception {
		PhotosInMemory memory = budget(DataSize.ofMegabytes(1), Duration.ofSeconds(30));
		PhotosInMemory.Room small = memory.reserve(10 * KIB, 0);
		CompletableFuture<PhotosInMemory.Room> huge = CompletableFuture
			.supplyAsync(() -> memory.reserve(9_000 * KIB, 0));
		while (memory.waiting() == 0) {
			Thread.onSpinWait();
		}
		assertThat(huge).isNotDone();
		small.close();
		PhotosInMemory.Room alone = huge.get(10, TimeUnit.SECONDS);
		assertThat(memory.available()).isZero();
		alone.close();
		assertThat(memory.available()).isEqualTo(1024 * KIB);
	}

	@Test
	void photosGetRoomInTheOrderTheyCame() throws Exception {
		PhotosInMemory memory = budget(DataSize.ofMegabytes(1), Duration.ofSeconds(30));
		PhotosInMemory.Room holder = memory.reserve(400 * KIB, 0);
		// a large photo that came first is not overtaken by small ones behind it
		CompletableFuture<PhotosInMemory.Room> large = CompletableFuture
			.supplyAsync(() -> memory.reserve(300 * KIB, 0));
		while (memory.waiting() < 1) {
			Thread.onSpinWait();
		}
		CompletableFuture<PhotosInMemory.Room> small = CompletableFuture.supplyAsync(() -> memory.reserve(KIB, 0));
		while (memory.waiting() < 2) {
			Thread.onSpinWait();
		}
		assertThat(small).isNotDone();
		holder.close();
		large.get(10, TimeUnit.SECONDS).close();
		small.get(10, TimeUnit.SECONDS).close();
		assertThat(memory.available()).isEqualTo(1024 * KIB);
	}

	private static PhotosInMemory budget(DataSize budget, Duration maxWait) {
		MlPagesProperties shipped = TestProperties.shippedModels(Path.of("target/test-cache"), 1, 1);
		MlPagesProperties.Image image = shipped.image();
		return new PhotosInMemory(new MlPagesProperties(shipped.modelsDir(), shipped.uploadsDir(), shipped.dataDir(),
				shipped.cacheDir(), shipped.upload(),
				new MlPagesProperties.Image(image.maxPixels(), image.minSide(), image.predictorPoolSize(),
						image.intraOpThreads(), image.interOpThreads(), image.backgroundLoading(), image.loadingWait(),
						image.batching(), new MlPagesProperties.InMemory(budget, maxWait), image.queue())));
	}

}
