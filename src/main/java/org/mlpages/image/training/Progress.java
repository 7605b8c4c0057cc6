package org.mlpages.image.training;

import java.util.Locale;

import org.mlpages.image.training.ProgressListener.Stage;

import org.springframework.context.MessageSource;

/**
 * A run's progress as the page shows it, in the reader's language; the page's script
 * polls it as JSON to move the bar without reloading.
 */
record Progress(String state, boolean finished, int percent, String summary, String detail) {

	static Progress of(TrainingJob job, MessageSource messages, Locale locale) {
		TrainingJob.State state = job.state();
		String summary = messages.getMessage("training.state." + state, null, locale);
		String detail = "";
		if (state == TrainingJob.State.RUNNING && job.stage() != null) {
			summary = messages.getMessage("training.stage." + job.stage(), null, locale);
			if (job.stage() == Stage.EXTRACTING_FEATURES) {
				detail = messages.getMessage("training.progress.photos", new Object[] { job.done(), job.total(),
						String.format(locale, "%.1f", job.photosPerSecond()), job.secondsLeft() }, locale);
			}
		}
		return new Progress(state.name(), state.isFinished(), job.percent(), summary, detail);
	}

}
