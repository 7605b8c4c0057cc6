package org.mlpages.image;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;

/**
 * A DJL {@link Predictor} is not thread-safe, but the TensorFlow session under it is.
 * Requests borrow a predictor each, so as many run at once as there are predictors, and
 * none waits on a global lock.
 * <p>
 * A batch of several photos is split over the predictors that are idle at that moment:
 * with one TensorFlow intra-op thread per prediction (the default), a batch on one
 * predictor would use one core only.
 */
final class PredictorPool implements AutoCloseable {

	private final BlockingQueue<Predictor<PhotoBatch, float[][]>> idle;

	private final List<Predictor<PhotoBatch, float[][]>> all;

	// runs the further slices of a split batch; the caller's thread runs the first
	private final ExecutorService slices;

	// requests waiting for a predictor: the queue an operator watches (metrics)
	private final AtomicInteger waiting = new AtomicInteger();

	private final String name;

	private volatile boolean closed;

	PredictorPool(ZooModel<PhotoBatch, float[][]> model, int size) {
		this.name = model.getName();
		this.idle = new ArrayBlockingQueue<>(size);
		this.all = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			Predictor<PhotoBatch, float[][]> predictor = model.newPredictor();
			all.add(predictor);
			idle.add(predictor);
		}
		AtomicInteger count = new AtomicInteger();
		this.slices = Executors.newCachedThreadPool(task -> {
			Thread thread = new Thread(task, model.getName() + "-batch-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	float[][] predict(PhotoBatch batch) throws TranslateException {
		Predictor<PhotoBatch, float[][]> first = borrow();
		List<Predictor<PhotoBatch, float[][]>> borrowed = new ArrayList<>();
		borrowed.add(first);
		try {
			// Only predictors idle right now: waiting for more while holding one could
			// deadlock two batches, and a busy pool gains nothing from splitting.
			while (borrowed.size() < batch.count()) {
				Predictor<PhotoBatch, float[][]> more = idle.poll();
				if (more == null) {
					break;
				}
				borrowed.add(more);
			}
			if (borrowed.size() == 1) {
				return first.predict(batch);
			}
			return predictSplit(batch, borrowed);
		}
		finally {
			idle.addAll(borrowed);
		}
	}

	/**
	 * The whole batch on one predictor, that is on one core with one intra-op thread:
	 * what a {@link PhotoBatcher}'s worker does, since the other cores are busy with
	 * other batches and decoding.
	 */
	float[][] predictOnOne(PhotoBatch batch) throws TranslateException {
		Predictor<PhotoBatch, float[][]> predictor = borrow();
		try {
			return predictor.predict(batch);
		}
		finally {
			idle.add(predictor);
		}
	}

	private Predictor<PhotoBatch, float[][]> borrow() throws TranslateException {
		Predictor<PhotoBatch, float[][]> predictor = take();
		if (closed) {
			// closing waits for every predictor to come back before closing them
			idle.add(predictor);
			throw new ModelClosedException(name);
		}
		return predictor;
	}

	private Predictor<PhotoBatch, float[][]> take() throws TranslateException {
		if (closed) {
			throw new ModelClosedException(name);
		}
		Predictor<PhotoBatch, float[][]> first = idle.poll();
		if (first != null) {
			return first;
		}
		waiting.incrementAndGet();
		try {
			// not take(): a pool closed meanwhile takes every predictor back, and a
			// caller blocked here would wait for ever
			while (true) {
				Predictor<PhotoBatch, float[][]> predictor = idle.poll(100, TimeUnit.MILLISECONDS);
				if (predictor != null) {
					return predictor;
				}
				if (closed) {
					throw new ModelClosedException(name);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TranslateException("interrupted while waiting for a predictor", ex);
		}
		finally {
			waiting.decrementAndGet();
		}
	}

	/** Predictors in this pool, that is how many predictions run at once at most. */
	int size() {
		return all.size();
	}

	/** Predictors predicting right now. */
	int busy() {
		return all.size() - idle.size();
	}

	/** Requests waiting for a predictor to be free. */
	int waiting() {
		return waiting.get();
	}

	private float[][] predictSplit(PhotoBatch batch, List<Predictor<PhotoBatch, float[][]>> predictors)
			throws TranslateException {
		int parts = predictors.size();
		List<Future<float[][]>> others = new ArrayList<>();
		float[][] result = new float[batch.count()][];
		int[] starts = new int[parts + 1];
		for (int i = 0; i <= parts; i++) {
			starts[i] = (int) ((long) batch.count() * i / parts);
		}
		for (int i = 1; i < parts; i++) {
			PhotoBatch slice = batch.slice(starts[i], starts[i + 1]);
			Predictor<PhotoBatch, float[][]> predictor = predictors.get(i);
			try {
				others.add(slices.submit(() -> predictor.predict(slice)));
			}
			catch (java.util.concurrent.RejectedExecutionException ex) {
				throw new ModelClosedException(name);
			}
		}
		try {
			float[][] head = predictors.get(0).predict(batch.slice(starts[0], starts[1]));
			System.arraycopy(head, 0, result, 0, head.length);
			for (int i = 1; i < parts; i++) {
				float[][] part = join(others.get(i - 1));
				System.arraycopy(part, 0, result, starts[i], part.length);
			}
			return result;
		}
		finally {
			// a predictor goes back to the pool only once its slice is over, failed or
			// not
			others.forEach(PredictorPool::awaitQuietly);
		}
	}

	private static void awaitQuietly(Future<?> part) {
		boolean interrupted = false;
		while (!part.isDone()) {
			try {
				part.get();
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
			catch (ExecutionException ex) {
				break;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	private static float[][] join(Future<float[][]> part) throws TranslateException {
		try {
			return part.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TranslateException("interrupted while waiting for part of a batch", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof TranslateException translate) {
				throw translate;
			}
			throw new TranslateException("part of a batch failed: " + ex.getCause(), ex.getCause());
		}
	}

	/**
	 * Closes the predictors once each is back: closing one while it predicts crashes
	 * TensorFlow, and the whole process with it (a model retired or a draft tried again
	 * while a photo is being predicted). One not back within 30 s is left open.
	 */
	@Override
	public void close() {
		closed = true;
		slices.shutdown();
		List<Predictor<PhotoBatch, float[][]>> back = new ArrayList<>();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		try {
			while (back.size() < all.size()) {
				Predictor<PhotoBatch, float[][]> predictor = idle.poll(Math.max(0, deadline - System.nanoTime()),
						TimeUnit.NANOSECONDS);
				if (predictor == null) {
					break;
				}
				back.add(predictor);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (back.size() < all.size()) {
			org.slf4j.LoggerFactory.getLogger(PredictorPool.class)
				.warn("{}: {} predictor(s) still predicting after 30 s are left open", name, all.size() - back.size());
		}
		back.forEach(Predictor::close);
	}

}
