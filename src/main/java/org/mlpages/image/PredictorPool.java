package org.mlpages.image;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;

/**
 * A DJL {@link Predictor} is not thread-safe, but the TensorFlow session under it is.
 * Requests borrow a predictor each, so as many run at once as there are predictors, and
 * none waits on a global lock.
 */
final class PredictorPool implements AutoCloseable {

	private final BlockingQueue<Predictor<PhotoBatch, float[][]>> idle;

	private final List<Predictor<PhotoBatch, float[][]>> all;

	PredictorPool(ZooModel<PhotoBatch, float[][]> model, int size) {
		this.idle = new ArrayBlockingQueue<>(size);
		this.all = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			Predictor<PhotoBatch, float[][]> predictor = model.newPredictor();
			all.add(predictor);
			idle.add(predictor);
		}
	}

	float[][] predict(PhotoBatch batch) throws TranslateException {
		Predictor<PhotoBatch, float[][]> predictor;
		try {
			predictor = idle.take();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TranslateException("interrupted while waiting for a predictor", ex);
		}
		try {
			return predictor.predict(batch);
		}
		finally {
			idle.add(predictor);
		}
	}

	@Override
	public void close() {
		all.forEach(Predictor::close);
	}

}
