package org.mlpages.image.training;

/**
 * The caller's {@link ProgressListener#isCancelled()} stopped the run; nothing was
 * written.
 */
public class TrainingCancelledException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public TrainingCancelledException() {
		super("Training was cancelled");
	}

}
