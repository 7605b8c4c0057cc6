package org.mlpages.image;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

import ai.djl.translate.TranslateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micro-batching for one model: photos uploaded at the same time are predicted in one
 * call, which costs less per photo than one call each.
 * <p>
 * A request announces its photo ({@link #incoming()}) once it starts decoding it, then
 * hands over the photo's tensor and waits for its scores. A worker per predictor takes
 * the first photo waiting and every other one waiting, up to {@code maxSize}. Only while
 * more photos for this model are being decoded does it wait for them, at most
 * {@code maxWait}: a lone photo goes at once, on its own. One worker forms a batch at a
 * time, so photos that arrive while it waits join its batch rather than wake another
 * worker.
 * <p>
 * No more photos are on their way at once than the workers can take in their next batches
 * ({@code maxPrepared}); the others wait to be announced, before they are decoded. A
 * decoded photo holds its tensor (600 KB for 224x224) until its batch is answered: under
 * 64 clients, tensors prepared far ahead of the model lived past the young collections
 * and filled the old generation, which then took a full collection every two or three
 * seconds (docs/benchmarks.md). Waiting before decoding, a photo holds only its file.
 * <p>
 * With {@code maxSize} 1, batching is off: each request predicts on its own thread and no
 * worker is started.
 */
final class PhotoBatcher implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(PhotoBatcher.class);

	/** Predicts a whole batch at once (on one predictor). */
	@FunctionalInterface
	interface BatchModel {

		float[][] predict(PhotoBatch batch) throws TranslateException;

	}

	private final String name;

	private final int height;

	private final int width;

	private final int channels;

	private final BatchModel model;

	private final int maxSize;

	private final long maxWaitNanos;

	private final IntConsumer batchSizes;

	private final List<Thread> workers = new ArrayList<>();

	// photos announced and not yet answered or dropped, at most maxPrepared
	private final Semaphore prepared;

	private final ReentrantLock lock = new ReentrantLock();

	// idle workers wait here for a photo
	private final Condition work = lock.newCondition();

	// the worker forming a batch waits here for the photos being decoded
	private final Condition more = lock.newCondition();

	private final ArrayDeque<Waiting> queue = new ArrayDeque<>();

	// photos announced and not yet queued (being decoded or preprocessed)
	private int decoding;

	private boolean forming;

	private boolean closed;

	/**
	 * Photos on their way at once: a batch for each worker and the next one (or one more
	 * photo than predictors, with batching off).
	 */
	static int defaultMaxPrepared(int workers, int maxSize) {
		return (workers + 1) * maxSize;
	}

	/**
	 * @param workers how many batches run at once (one per predictor)
	 * @param maxPrepared the most photos announced and not yet answered at once
	 * @param batchSizes told the size of every batch predicted (metrics)
	 */
	PhotoBatcher(String name, int height, int width, BatchModel model, int workers, int maxSize, Duration maxWait,
			int maxPrepared, IntConsumer batchSizes) {
		this(name, height, width, 3, model, workers, maxSize, maxWait, maxPrepared, batchSizes);
	}

	/**
	 * @param channels of the model's input: 3, or 1 for a grey model
	 */
	PhotoBatcher(String name, int height, int width, int channels, BatchModel model, int workers, int maxSize,
			Duration maxWait, int maxPrepared, IntConsumer batchSizes) {
		if (maxSize < 1 || workers < 1) {
			throw new IllegalArgumentException("a batch holds at least one photo and needs a worker");
		}
		if (maxPrepared < maxSize) {
			throw new IllegalArgumentException("at least a batch's photos must be allowed on their way");
		}
		this.prepared = new Semaphore(maxPrepared, true);
		this.name = name;
		this.height = height;
		this.width = width;
		this.channels = channels;
		this.model = model;
		this.maxSize = maxSize;
		this.maxWaitNanos = maxWait.toNanos();
		this.batchSizes = batchSizes;
		if (maxSize > 1) {
			for (int i = 1; i <= workers; i++) {
				Thread worker = new Thread(this::work, name + "-batcher-" + i);
				worker.setDaemon(true);
				this.workers.add(worker);
			}
			this.workers.forEach(Thread::start);
		}
	}

	/**
	 * A photo on its way to this model, counted from now until its tensor is handed over
	 * or the photo is dropped ({@link IncomingPhoto#close()}).
	 */
	IncomingPhoto incoming() {
		prepared.acquireUninterruptibly();
		lock.lock();
		try {
			if (closed) {
				prepared.release();
				throw new ModelClosedException(name);
			}
			decoding++;
		}
		finally {
			lock.unlock();
		}
		return new IncomingPhoto();
	}

	/** Photos waiting to be announced: as many as are on their way already. */
	int waitingToBeAnnounced() {
		return prepared.getQueueLength();
	}

	/** Photos announced and not yet handed over nor dropped (being decoded, say). */
	int onTheirWay() {
		lock.lock();
		try {
			return decoding;
		}
		finally {
			lock.unlock();
		}
	}

	/** Photos handed over and not yet taken into a batch. */
	int waiting() {
		lock.lock();
		try {
			return queue.size();
		}
		finally {
			lock.unlock();
		}
	}

	/** True while a worker gathers a batch (waiting for photos being decoded, say). */
	boolean forming() {
		lock.lock();
		try {
			return forming;
		}
		finally {
			lock.unlock();
		}
	}

	/** The most photos in one batch; 1 when batching is off. */
	int maxSize() {
		return maxSize;
	}

	private CompletableFuture<float[]> enqueue(float[] tensor) {
		CompletableFuture<float[]> scores = new CompletableFuture<>();
		lock.lock();
		try {
			decoding--;
			if (closed) {
				throw new ModelClosedException(name);
			}
			queue.add(new Waiting(tensor, scores));
			(forming ? more : work).signal();
		}
		finally {
			lock.unlock();
		}
		return scores;
	}

	private void dropped() {
		lock.lock();
		try {
			decoding--;
			if (decoding == 0) {
				// the batch being formed need not wait for it any longer
				more.signal();
			}
		}
		finally {
			lock.unlock();
		}
	}

	private void work() {
		while (true) {
			List<Waiting> batch = nextBatch();
			if (batch == null) {
				return;
			}
			predict(batch);
		}
	}

	/** The next batch, or null once closed. */
	private List<Waiting> nextBatch() {
		lock.lock();
		try {
			while (!closed && (queue.isEmpty() || forming)) {
				work.awaitUninterruptibly();
			}
			if (closed) {
				return null;
			}
			forming = true;
			List<Waiting> batch = new ArrayList<>(maxSize);
			take(batch);
			long left = maxWaitNanos;
			while (batch.size() < maxSize && decoding > 0 && left > 0 && !closed) {
				try {
					left = more.awaitNanos(left);
				}
				catch (InterruptedException ex) {
					// no one interrupts the workers; if someone does, the batch goes now
					Thread.currentThread().interrupt();
					break;
				}
				take(batch);
			}
			forming = false;
			if (closed) {
				fail(batch, new ModelClosedException(name));
				return null;
			}
			if (!queue.isEmpty()) {
				work.signal();
			}
			return batch;
		}
		finally {
			lock.unlock();
		}
	}

	private void take(List<Waiting> batch) {
		while (batch.size() < maxSize && !queue.isEmpty()) {
			batch.add(queue.poll());
		}
	}

	private void predict(List<Waiting> batch) {
		float[][] scores;
		try {
			scores = model.predict(toBatch(batch));
			if (scores.length != batch.size()) {
				throw new IllegalStateException(
						"model " + name + " answered " + scores.length + " rows for " + batch.size() + " photos");
			}
		}
		catch (TranslateException | RuntimeException | Error ex) {
			// the others' batches go on: this failure is only this batch's callers'
			fail(batch, ex);
			return;
		}
		for (int i = 0; i < scores.length; i++) {
			batch.get(i).scores().complete(scores[i]);
		}
		batchSizes.accept(batch.size());
	}

	private PhotoBatch toBatch(List<Waiting> batch) {
		return new PhotoBatch(batch.stream().map(Waiting::tensor).toList(), height, width, channels);
	}

	private static void fail(List<Waiting> batch, Throwable cause) {
		batch.forEach(waiting -> waiting.scores().completeExceptionally(cause));
	}

	/**
	 * Photos still waiting fail with {@link ModelClosedException}; batches already
	 * predicting finish (a prediction takes milliseconds), so that the predictors can be
	 * closed behind.
	 */
	@Override
	public void close() {
		List<Waiting> left;
		boolean first;
		lock.lock();
		try {
			first = !closed;
			closed = true;
			left = new ArrayList<>(queue);
			queue.clear();
			work.signalAll();
			more.signalAll();
		}
		finally {
			lock.unlock();
		}
		if (first) {
			// those waiting to be announced are let through to find the model closed
			prepared.release(Integer.MAX_VALUE / 2);
		}
		fail(left, new ModelClosedException(name));
		for (Thread worker : workers) {
			try {
				worker.join(TimeUnit.SECONDS.toMillis(10));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			if (worker.isAlive()) {
				log.warn("{} still predicting after 10 s while the model closes", worker.getName());
			}
		}
	}

	private record Waiting(float[] tensor, CompletableFuture<float[]> scores) {
	}

	/**
	 * One photo on its way to the model. Use it in try-with-resources: a photo refused
	 * before its prediction must not keep a batch waiting for it.
	 */
	final class IncomingPhoto implements AutoCloseable {

		private boolean counted = true;

		private boolean holdsPlace = true;

		private IncomingPhoto() {
		}

		/**
		 * The photo's class scores, predicted in a batch with the photos waiting beside
		 * it (or alone, on this thread, when batching is off).
		 * @throws ModelClosedException if the model closes before the photo is predicted
		 */
		float[] predict(float[] tensor) throws TranslateException {
			if (!counted) {
				throw new IllegalStateException("this photo was already predicted or dropped");
			}
			counted = false;
			try {
				if (maxSize == 1) {
					return predictAlone(tensor);
				}
				CompletableFuture<float[]> scores = enqueue(tensor);
				return scores.get();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new TranslateException("interrupted while waiting for the batch's answer", ex);
			}
			catch (ExecutionException ex) {
				throw rethrown(ex.getCause());
			}
			finally {
				leave();
			}
		}

		private void leave() {
			if (holdsPlace) {
				holdsPlace = false;
				prepared.release();
			}
		}

		private float[] predictAlone(float[] tensor) throws TranslateException {
			lock.lock();
			try {
				decoding--;
				if (closed) {
					throw new ModelClosedException(name);
				}
			}
			finally {
				lock.unlock();
			}
			float[][] scores = model.predict(PhotoBatch.of(tensor, height, width, channels));
			batchSizes.accept(1);
			return scores[0];
		}

		@Override
		public void close() {
			if (counted) {
				counted = false;
				dropped();
			}
			leave();
		}

	}

	private static TranslateException rethrown(Throwable cause) {
		if (cause instanceof ModelClosedException closed) {
			throw closed;
		}
		if (cause instanceof TranslateException translate) {
			return translate;
		}
		return new TranslateException("the batch failed: " + cause, cause);
	}

}
