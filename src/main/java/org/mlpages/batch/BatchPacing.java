package org.mlpages.batch;

import org.mlpages.history.Prediction;
import org.mlpages.history.PredictionListener;

import org.springframework.stereotype.Component;

/**
 * How fast a batch may go. A batch's work does not stay in its own low-priority thread:
 * its rows are committed by the log's writer, in transactions that a person's decision
 * waits behind. So while people are being answered (a prediction of theirs was logged in
 * the last {@value #BUSY_WINDOW_MS} ms), a batch goes in short slices with a pause after
 * each, and gives the cores and the log back; when nobody is asking, it goes at full
 * speed. Measured with bench/batch-and-singles.sh (docs/benchmarks.md).
 */
@Component
class BatchPacing implements PredictionListener {

	static final long BUSY_WINDOW_MS = 250;

	/** Rows decided and committed at a time when nobody is waiting. */
	static final int FULL_SLICE = 200;

	/** Rows at a time while people are being answered, and the pause after each slice. */
	static final int SHORT_SLICE = 20;

	static final long PAUSE_MS = 15;

	private volatile long lastAnswered = System.nanoTime() - BUSY_WINDOW_MS * 2_000_000;

	/** A person's prediction (a batch's rows are not told to the listeners). */
	@Override
	public void logged(Prediction prediction, double latencyMs) {
		lastAnswered = System.nanoTime();
	}

	boolean peopleAreBeingAnswered() {
		return System.nanoTime() - lastAnswered < BUSY_WINDOW_MS * 1_000_000;
	}

	int slice() {
		return peopleAreBeingAnswered() ? SHORT_SLICE : FULL_SLICE;
	}

	/** Photos predicted in one call when nobody is waiting, and while people are. */
	static final int FULL_PHOTO_SLICE = 16;

	static final int SHORT_PHOTO_SLICE = 4;

	int photoSlice() {
		return peopleAreBeingAnswered() ? SHORT_PHOTO_SLICE : FULL_PHOTO_SLICE;
	}

	/** The pause after a slice: while people are being answered, none otherwise. */
	long pauseMillis() {
		return peopleAreBeingAnswered() ? PAUSE_MS : 0;
	}

	/**
	 * After a slice of photos, which holds a core far longer than a slice of cases: while
	 * people are being answered, a pause as long as the slice took, so that the batch
	 * takes at most half of a core's time from them.
	 */
	void afterPhotos(long sliceNanos) throws InterruptedException {
		if (peopleAreBeingAnswered()) {
			Thread.sleep(Math.max(PAUSE_MS, sliceNanos / 1_000_000));
		}
	}

	void afterSlice() throws InterruptedException {
		long pause = pauseMillis();
		if (pause > 0) {
			Thread.sleep(pause);
		}
	}

}
