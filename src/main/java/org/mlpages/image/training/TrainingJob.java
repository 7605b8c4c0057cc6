package org.mlpages.image.training;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One training run started from the browser, and what the page shows of it while it
 * works. Written by the training thread, read by the pages: every field that changes is
 * volatile or thread-safe.
 */
public final class TrainingJob implements ProgressListener {

	/** Where a run is. */
	public enum State {

		QUEUED, RUNNING, DONE, FAILED, CANCELLED, PUBLISHED;

		public boolean isFinished() {
			return this != QUEUED && this != RUNNING;
		}

	}

	private static final int MAX_WARNINGS = 200;

	private final String id;

	private final TrainingForm form;

	private final List<String> classes;

	private final int photoCount;

	private final Path workDir;

	private final Instant created = Instant.now();

	private final List<String> warnings = new CopyOnWriteArrayList<>();

	private volatile State state = State.QUEUED;

	private volatile Stage stage;

	private volatile int done;

	private volatile int total;

	private volatile double photosPerSecond;

	private volatile Duration remaining = Duration.ZERO;

	private volatile boolean cancelRequested;

	private volatile TrainingReport report;

	private volatile Failure failure;

	/**
	 * Why a run failed: a code the page words in the reader's language when it knows it,
	 * and the English message otherwise.
	 */
	public record Failure(String code, Object[] arguments, String message) {
	}

	TrainingJob(String id, TrainingForm form, List<String> classes, int photoCount, Path workDir) {
		this.id = id;
		this.form = form;
		this.classes = List.copyOf(classes);
		this.photoCount = photoCount;
		this.workDir = workDir;
	}

	@Override
	public void stage(Stage stage, String message) {
		this.stage = stage;
	}

	@Override
	public void photos(int done, int total, double photosPerSecond, Duration remaining) {
		this.done = done;
		this.total = total;
		this.photosPerSecond = photosPerSecond;
		this.remaining = remaining;
	}

	@Override
	public void warning(String message) {
		if (warnings.size() < MAX_WARNINGS) {
			warnings.add(message);
		}
	}

	@Override
	public boolean isCancelled() {
		return cancelRequested;
	}

	void requestCancel() {
		cancelRequested = true;
	}

	void running() {
		state = State.RUNNING;
	}

	void done(TrainingReport report) {
		this.report = report;
		state = State.DONE;
	}

	void failed(Failure failure) {
		this.failure = failure;
		state = State.FAILED;
	}

	void cancelled() {
		state = State.CANCELLED;
	}

	void published() {
		state = State.PUBLISHED;
	}

	public String id() {
		return id;
	}

	public String name() {
		return form.getName();
	}

	public TrainingForm form() {
		return form;
	}

	public List<String> classes() {
		return classes;
	}

	public int photoCount() {
		return photoCount;
	}

	Path workDir() {
		return workDir;
	}

	public Instant created() {
		return created;
	}

	/** When the run was queued, on the server's clock, for the page. */
	public java.time.LocalDateTime startedAt() {
		return java.time.LocalDateTime.ofInstant(created, java.time.ZoneId.systemDefault());
	}

	public State state() {
		return state;
	}

	public Stage stage() {
		return stage;
	}

	public int done() {
		return done;
	}

	public int total() {
		return total;
	}

	public double photosPerSecond() {
		return photosPerSecond;
	}

	public long secondsLeft() {
		return remaining.toSeconds();
	}

	/** How far the whole run is, 0 to 100: feature extraction is most of its time. */
	public int percent() {
		State now = state;
		if (now.isFinished()) {
			return now == State.DONE || now == State.PUBLISHED ? 100 : 0;
		}
		Stage current = stage;
		if (current == null || current.ordinal() < Stage.EXTRACTING_FEATURES.ordinal()) {
			return 0;
		}
		if (current == Stage.EXTRACTING_FEATURES) {
			return total == 0 ? 0 : (int) (90L * done / total);
		}
		return 90 + 2 * (current.ordinal() - Stage.EXTRACTING_FEATURES.ordinal());
	}

	public List<String> warnings() {
		return List.copyOf(warnings);
	}

	public TrainingReport report() {
		return report;
	}

	public Failure failure() {
		return failure;
	}

}
