package org.mlpages.image.training;

import java.time.Duration;

/**
 * What a training run tells its caller while it works, and how the caller stops it.
 * Called from the training thread; implementations must be quick (a console bar, a field
 * a web page polls).
 */
public interface ProgressListener {

	/** A listener that shows nothing and never cancels. */
	ProgressListener NONE = new ProgressListener() {
	};

	/** The steps of a run, in order. */
	enum Stage {

		READING_PHOTOS, READING_BASE_MODEL, EXTRACTING_FEATURES, TRAINING_HEAD, WRITING, CHECKING_RELOAD

	}

	/**
	 * A new stage begins.
	 * @param message the stage in English words, with its details ("Extracting features
	 * of 400 photos with base.h5 cut after global_average_pooling2d")
	 */
	default void stage(Stage stage, String message) {
	}

	/**
	 * Feature extraction progress, after every batch.
	 * @param photosPerSecond photos per second since extraction began
	 * @param remaining estimated time left for the extraction
	 */
	default void photos(int done, int total, double photosPerSecond, Duration remaining) {
	}

	/**
	 * Something the caller should know but that does not stop the run (a skipped file).
	 */
	default void warning(String message) {
	}

	/**
	 * Asked between batches and between training iterations; once it returns true the run
	 * stops with a {@link TrainingCancelledException} and writes nothing.
	 */
	default boolean isCancelled() {
		return false;
	}

}
