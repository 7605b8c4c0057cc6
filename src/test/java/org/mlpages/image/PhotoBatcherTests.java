package org.mlpages.image;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import ai.djl.translate.TranslateException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The batcher with a stand-in model whose "scores" are each photo's first value doubled,
 * so that every caller can check it got its own photo's answer. Photos are 1x1 pixels. No
 * assertion depends on timing: where a batch must form in a given way, the model holds
 * the worker until the photos are queued; the timeout only stops a test that hangs.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PhotoBatcherTests {

	private static final Duration FOREVER = Duration.ofHours(1);

	private final ExecutorService callers = Executors.newCachedThreadPool();

	private final List<List<Float>> batches = new CopyOnWriteArrayList<>();

	private final List<Integer> recordedSizes = new CopyOnWriteArrayList<>();

	// the first batch waits on this until the test opens it
	private final CountDownLatch gate = new CountDownLatch(1);

	private final CountDownLatch firstBatchStarted = new CountDownLatch(1);

	private PhotoBatcher batcher;

	@AfterEach
	void close() {
		gate.countDown();
		if (batcher != null) {
			batcher.close();
		}
		callers.shutdownNow();
	}

	/** A model that holds its first batch at the gate and fails batches of negatives. */
	private float[][] model(PhotoBatch batch) throws TranslateException {
		List<Float> firsts = new ArrayList<>();
		for (int i = 0; i < batch.count(); i++) {
			firsts.add(batch.photos().get(i)[0]);
		}
		batches.add(firsts);
		if (firstBatchStarted.getCount() > 0) {
			firstBatchStarted.countDown();
			try {
				gate.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (firsts.stream().anyMatch(value -> value < 0)) {
			throw new TranslateException("cannot predict negative photos");
		}
		float[][] scores = new float[batch.count()][];
		for (int i = 0; i < batch.count(); i++) {
			scores[i] = new float[] { 2 * firsts.get(i) };
		}
		return scores;
	}

	private PhotoBatcher batcher(int workers, int maxSize, Duration maxWait) {
		batcher = new PhotoBatcher("test", 1, 1, this::model, workers, maxSize, maxWait, 100, recordedSizes::add);
		return batcher;
	}

	private static float[] photo(float value) {
		return new float[] { value, 0, 0 };
	}

	/** Announces the photo now and hands it over on another thread. */
	private CompletableFuture<Float> send(float value) {
		return send(batcher.incoming(), value);
	}

	private CompletableFuture<Float> send(PhotoBatcher.IncomingPhoto incoming, float value) {
		return CompletableFuture.supplyAsync(() -> {
			try (incoming) {
				return incoming.predict(photo(value))[0];
			}
			catch (TranslateException ex) {
				throw new CompletionException(ex);
			}
		}, callers);
	}

	/** A guard against a hang, not a timing: the condition is met in microseconds. */
	private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
		long giveUp = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > giveUp) {
				throw new AssertionError("the condition was not met within 30 s");
			}
			Thread.sleep(1);
		}
	}

	/**
	 * A worker records a batch's size after answering its callers: a caller can have its
	 * scores before the size is recorded.
	 */
	private void awaitRecordedBatches(int count) throws InterruptedException {
		awaitCondition(() -> recordedSizes.size() >= count);
	}

	/** Holds the worker on a first photo, then queues the others one by one, in order. */
	private CompletableFuture<Float> holdWorkerWith(float value) throws InterruptedException {
		CompletableFuture<Float> first = send(value);
		firstBatchStarted.await();
		return first;
	}

	private List<CompletableFuture<Float>> queue(float... values) throws InterruptedException {
		List<CompletableFuture<Float>> answers = new ArrayList<>();
		for (float value : values) {
			int before = batcher.waiting();
			answers.add(send(value));
			awaitCondition(() -> batcher.waiting() == before + 1);
		}
		return answers;
	}

	@Test
	void aLonePhotoGoesAloneWithoutWaiting() throws Exception {
		// were it to wait for company, it would wait an hour
		batcher(2, 8, FOREVER);
		gate.countDown();

		assertThat(send(3).get()).isEqualTo(6);
		assertThat(batches).containsExactly(List.of(3f));
		awaitRecordedBatches(1);
		assertThat(recordedSizes).containsExactly(1);
	}

	@Test
	void photosWaitingTogetherGoInOneBatchAndEachGetsItsOwnScores() throws Exception {
		batcher(1, 8, Duration.ZERO);
		CompletableFuture<Float> first = holdWorkerWith(1);
		List<CompletableFuture<Float>> others = queue(2, 3, 4, 5, 6);

		gate.countDown();

		assertThat(first.get()).isEqualTo(2);
		for (int i = 0; i < others.size(); i++) {
			assertThat(others.get(i).get()).isEqualTo(2 * (i + 2));
		}
		assertThat(batches).containsExactly(List.of(1f), List.of(2f, 3f, 4f, 5f, 6f));
		awaitRecordedBatches(2);
		assertThat(recordedSizes).containsExactly(1, 5);
	}

	@Test
	void aBatchHoldsAtMostTheMaximum() throws Exception {
		batcher(1, 4, Duration.ZERO);
		holdWorkerWith(0);
		List<CompletableFuture<Float>> others = queue(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

		gate.countDown();

		CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)).get();
		awaitRecordedBatches(4);
		assertThat(recordedSizes).containsExactly(1, 4, 4, 2);
		assertThat(batches.get(1)).containsExactly(1f, 2f, 3f, 4f);
		assertThat(batches.get(3)).containsExactly(9f, 10f);
	}

	@Test
	void aBatchWaitsForAPhotoBeingDecodedThenTakesIt() throws Exception {
		// the wait is an hour: the batch goes because the photo came, not because time
		// ran out
		batcher(1, 8, FOREVER);
		gate.countDown();
		PhotoBatcher.IncomingPhoto decoding = batcher.incoming();
		CompletableFuture<Float> first = send(1);
		awaitCondition(batcher::forming);

		CompletableFuture<Float> second = send(decoding, 2);

		assertThat(first.get()).isEqualTo(2);
		assertThat(second.get()).isEqualTo(4);
		assertThat(batches).containsExactly(List.of(1f, 2f));
	}

	@Test
	void aPhotoDroppedWhileDecodingNoLongerHoldsTheBatch() throws Exception {
		batcher(1, 8, FOREVER);
		gate.countDown();
		PhotoBatcher.IncomingPhoto refused = batcher.incoming();
		CompletableFuture<Float> first = send(1);
		awaitCondition(batcher::forming);

		refused.close();

		assertThat(first.get()).isEqualTo(2);
		assertThat(batches).containsExactly(List.of(1f));
	}

	@Test
	void aFailingBatchFailsOnlyItsOwnCallers() throws Exception {
		batcher(1, 2, Duration.ZERO);
		CompletableFuture<Float> first = holdWorkerWith(1);
		List<CompletableFuture<Float>> others = queue(-1, -2, 3, 4);

		gate.countDown();

		assertThat(first.get()).isEqualTo(2);
		for (CompletableFuture<Float> failed : others.subList(0, 2)) {
			assertThatThrownBy(failed::join).hasRootCauseInstanceOf(TranslateException.class)
				.hasRootCauseMessage("cannot predict negative photos");
		}
		assertThat(others.get(2).get()).isEqualTo(6);
		assertThat(others.get(3).get()).isEqualTo(8);
		assertThat(send(5).get()).isEqualTo(10);
	}

	@Test
	void closingFailsTheWaitingPhotosAtOnceAndLetsTheRunningBatchFinish() throws Exception {
		batcher(1, 8, Duration.ZERO);
		CompletableFuture<Float> running = holdWorkerWith(1);
		List<CompletableFuture<Float>> waiting = queue(2, 3);
		PhotoBatcher.IncomingPhoto decoding = batcher.incoming();

		// close() waits for the running batch, which is held at the gate
		CompletableFuture<Void> closing = CompletableFuture.runAsync(batcher::close, callers);
		for (CompletableFuture<Float> answer : waiting) {
			assertThatThrownBy(answer::join).hasRootCauseInstanceOf(ModelClosedException.class);
		}
		assertThat(closing).isNotDone();
		gate.countDown();
		closing.get();

		assertThat(running.get()).isEqualTo(2);
		assertThatThrownBy(send(decoding, 4)::join).hasRootCauseInstanceOf(ModelClosedException.class)
			.hasRootCauseMessage("model test is closed (the application is stopping)");
		// a photo that comes after is not even announced
		assertThatThrownBy(batcher::incoming).isInstanceOf(ModelClosedException.class);
		assertThat(batches).containsExactly(List.of(1f));
	}

	@Test
	void noMorePhotosAreOnTheirWayThanTheWorkersTakeNextAndTheOthersWaitInOrder() throws Exception {
		batcher = new PhotoBatcher("test", 1, 1, this::model, 1, 2, Duration.ZERO,
				PhotoBatcher.defaultMaxPrepared(1, 2), recordedSizes::add);
		gate.countDown();
		List<PhotoBatcher.IncomingPhoto> onTheirWay = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			onTheirWay.add(batcher.incoming());
		}
		CompletableFuture<Float> fifth = CompletableFuture.supplyAsync(() -> {
			try (PhotoBatcher.IncomingPhoto incoming = batcher.incoming()) {
				return incoming.predict(photo(5))[0];
			}
			catch (TranslateException ex) {
				throw new CompletionException(ex);
			}
		}, callers);
		awaitCondition(() -> batcher.waitingToBeAnnounced() == 1);
		assertThat(fifth).isNotDone();
		assertThat(batcher.onTheirWay()).isEqualTo(4);

		// one answered: its place goes to the photo waiting
		assertThat(send(onTheirWay.get(0), 1).get()).isEqualTo(2);
		assertThat(fifth.get()).isEqualTo(10);
		// one dropped (refused while decoding, say) also gives its place back
		onTheirWay.get(1).close();
		try (PhotoBatcher.IncomingPhoto sixth = batcher.incoming()) {
			assertThat(sixth.predict(photo(6))).containsExactly(12);
		}
		onTheirWay.get(2).close();
		onTheirWay.get(3).close();
		assertThat(batcher.onTheirWay()).isZero();
		assertThat(batcher.waitingToBeAnnounced()).isZero();
	}

	@Test
	void aPhotoWaitingToBeAnnouncedWhenTheModelClosesIsToldSo() throws Exception {
		batcher = new PhotoBatcher("test", 1, 1, this::model, 1, 2, Duration.ZERO, 2, recordedSizes::add);
		PhotoBatcher.IncomingPhoto first = batcher.incoming();
		PhotoBatcher.IncomingPhoto second = batcher.incoming();
		CompletableFuture<PhotoBatcher.IncomingPhoto> third = CompletableFuture.supplyAsync(batcher::incoming, callers);
		awaitCondition(() -> batcher.waitingToBeAnnounced() == 1);

		batcher.close();

		assertThatThrownBy(third::join).hasRootCauseInstanceOf(ModelClosedException.class);
		first.close();
		second.close();
	}

	@Test
	void withBatchingOffEachPhotoIsPredictedAloneOnItsCallersThread() throws Exception {
		List<String> threads = new CopyOnWriteArrayList<>();
		batcher = new PhotoBatcher("test", 1, 1, batch -> {
			threads.add(Thread.currentThread().getName());
			return new float[][] { { batch.photos().get(0)[0] } };
		}, 2, 1, FOREVER, PhotoBatcher.defaultMaxPrepared(2, 1), recordedSizes::add);

		try (PhotoBatcher.IncomingPhoto incoming = batcher.incoming()) {
			assertThat(incoming.predict(photo(7))).containsExactly(7);
		}

		assertThat(threads).containsExactly(Thread.currentThread().getName());
		assertThat(recordedSizes).containsExactly(1);
	}

}
