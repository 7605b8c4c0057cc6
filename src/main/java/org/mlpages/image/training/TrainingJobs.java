package org.mlpages.image.training;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.mlpages.catalog.ModelFiles;
import org.mlpages.image.ImageModel;
import org.mlpages.image.ImageModels;
import org.mlpages.image.photo.PhotoDecoder;
import org.mlpages.image.photo.Preprocessing;
import org.mlpages.image.training.PhotoFolders.Labelled;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MlPagesProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.util.FileSystemUtils;

/**
 * Trains image models from zips uploaded in the browser, one at a time (training takes
 * both cores of a small server for a minute or more), and publishes the result into the
 * models folder. Everything a zip could do wrong is refused while the upload request is
 * still open, so the person gets the answer with its status; what is left for the
 * background run is the training itself.
 *
 * <p>
 * Runs live in memory: after a restart the page forgets them, and their unpublished files
 * are deleted at start-up.
 */
@Service
public class TrainingJobs implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(TrainingJobs.class);

	private static final int KEPT_JOBS = 20;

	private final TrainingProperties properties;

	private final Path modelsDir;

	private final Path cacheDir;

	private final PhotoArchive.Limits limits;

	private final PhotoDecoder decoder;

	private final ImageModels imageModels;

	private final Map<String, TrainingJob> jobs = new ConcurrentHashMap<>();

	private final AtomicBoolean receiving = new AtomicBoolean();

	// right after start-up the base may still be loading in the background
	private final Duration baseModelWait;

	private final ExecutorService runner = Executors.newSingleThreadExecutor(task -> {
		Thread thread = new Thread(task, "image-training");
		thread.setDaemon(true);
		return thread;
	});

	TrainingJobs(TrainingProperties properties, MlPagesProperties app, ImageModels imageModels) throws IOException {
		this.properties = properties;
		this.modelsDir = app.modelsDir();
		this.cacheDir = app.cacheDir();
		this.limits = new PhotoArchive.Limits(properties.maxFiles(), app.upload().maxFileSize().toBytes(),
				properties.maxUnpackedSize().toBytes());
		this.decoder = new PhotoDecoder(app.image().maxPixels());
		this.imageModels = imageModels;
		this.baseModelWait = app.image().loadingWait();
		if (Files.isDirectory(properties.workDir())) {
			// runs are not resumed after a restart: their half-made files only take room
			FileSystemUtils.deleteRecursively(properties.workDir());
		}
	}

	/**
	 * Checks the zip and every photo in it, then queues the run.
	 * @param declaredLength the request's Content-Length, or -1
	 * @throws InputRejectedException with the reason, when the form, the zip or a photo
	 * cannot be used; nothing is kept then
	 */
	public TrainingJob start(TrainingForm form, InputStream archive, long declaredLength) throws IOException {
		// not a lock held for the whole upload: a second upload is refused at once, not
		// left waiting for minutes behind the first
		if (!receiving.compareAndSet(false, true)) {
			throw busy();
		}
		try {
			if (jobs.values().stream().anyMatch(job -> !job.state().isFinished())) {
				throw busy();
			}
			return receiveAndQueue(form, archive, declaredLength);
		}
		finally {
			receiving.set(false);
		}
	}

	private TrainingJob receiveAndQueue(TrainingForm form, InputStream archive, long declaredLength)
			throws IOException {
		ImageModel base = imageModels.awaitReady(form.getBaseModel(), baseModelWait)
			.orElseThrow(() -> new InputRejectedException(HttpStatus.BAD_REQUEST, "training.rejected.unknown-base",
					"no image model named " + form.getBaseModel(), form.getBaseModel()));
		requireFreeName(form.getName(), null);
		if (declaredLength > properties.maxArchiveSize().toBytes()) {
			throw archiveTooLarge(declaredLength);
		}
		String id = UUID.randomUUID().toString();
		Path dir = properties.workDir().resolve(id);
		try {
			Files.createDirectories(dir);
			Path zip = dir.resolve("upload.zip");
			receive(archive, zip);
			Path root = PhotoArchive.unpack(zip, dir.resolve("photos"), limits);
			Files.delete(zip);
			Labelled photos = PhotoFolders.scan(root, ProgressListener.NONE);
			PhotoCheck.requireReadable(photos, root, decoder);
			TrainingJob job = new TrainingJob(id, form, photos.classes(), photos.photos().size(), dir);
			forgetOldJobs();
			jobs.put(id, job);
			log.info("Training run {} queued: model {}, {} photos in classes {}, base {}", id, form.getName(),
					photos.photos().size(), photos.classes(), base.name());
			runner.execute(() -> run(job, root, base));
			return job;
		}
		catch (TrainingInputException ex) {
			delete(dir);
			log.info("Training zip refused: {}", ex.getMessage());
			throw rejected(ex);
		}
		catch (IOException | RuntimeException ex) {
			delete(dir);
			throw ex;
		}
	}

	public Optional<TrainingJob> find(String id) {
		return Optional.ofNullable(jobs.get(id));
	}

	/** Newest first. */
	public List<TrainingJob> jobs() {
		return jobs.values().stream().sorted(Comparator.comparing(TrainingJob::created).reversed()).toList();
	}

	public void cancel(String id) {
		find(id).ifPresent(TrainingJob::requestCancel);
	}

	/**
	 * Moves a finished run's model into the models folder and serves it: its page, card
	 * and API path appear at once.
	 */
	public synchronized ImageModel publish(String id) throws IOException {
		TrainingJob job = find(id).orElseThrow(() -> unknown(id));
		if (job.state() != TrainingJob.State.DONE) {
			throw new InputRejectedException(HttpStatus.CONFLICT, "training.rejected.not-publishable",
					"run " + id + " is " + job.state());
		}
		String name = job.name();
		requireFreeName(name, job);
		TrainingReport report = job.report();
		List<Path> moved = new ArrayList<>();
		// the descriptor last: a model folder scanned meanwhile sees a .h5 without one
		// and skips it
		for (Path file : List.of(report.modelFile(), report.reportFile(), report.descriptorFile())) {
			Path target = modelsDir.resolve(file.getFileName().toString());
			Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
			moved.add(target);
		}
		Optional<ImageModel> model = imageModels.publish(name);
		if (model.isEmpty()) {
			for (Path file : moved) {
				Files.deleteIfExists(file);
			}
			throw new InputRejectedException(HttpStatus.INTERNAL_SERVER_ERROR, "training.rejected.publish-failed",
					"the trained model " + name + " did not load; see the log");
		}
		job.published();
		delete(job.workDir());
		log.info("Model {} published from training run {}", name, id);
		return model.get();
	}

	@Override
	public void destroy() {
		jobs.values().forEach(TrainingJob::requestCancel);
		runner.shutdownNow();
	}

	private void run(TrainingJob job, Path photos, ImageModel base) {
		if (job.isCancelled()) {
			job.cancelled();
			delete(job.workDir());
			return;
		}
		job.running();
		try {
			Preprocessing input = base.preprocessor().preprocessing();
			Path output = job.workDir().resolve("model").resolve(job.name() + ".h5");
			Files.createDirectories(output.getParent());
			TrainingForm form = job.form();
			TrainingRequest request = TrainingRequest.builder(photos, modelsDir.resolve(base.name() + ".h5"), output)
				.resize(input.mode())
				.scale(input.scale())
				.offset(input.offset())
				.title(form.getTitleEn(), form.getTitleFr())
				.cacheDir(cacheDir)
				.baseModelLicence("the base model " + base.name() + " served by this app; see its notice")
				.dataSource("A zip of " + job.photoCount() + " photos uploaded in the browser on " + job.created()
						+ " (the photos are not kept).")
				.build();
			TrainingReport report = new ImageHeadTrainer().train(request, job);
			job.done(report);
			log.info("Training run {} done: {} at {} % validation accuracy", job.id(), job.name(),
					String.format(java.util.Locale.ROOT, "%.1f", 100 * report.validationAccuracy()));
		}
		catch (TrainingCancelledException ex) {
			job.cancelled();
			log.info("Training run {} cancelled", job.id());
		}
		catch (TrainingInputException ex) {
			job.failed(new TrainingJob.Failure(ex.code(), ex.arguments(), ex.getMessage()));
			log.info("Training run {} refused: {}", job.id(), ex.getMessage());
		}
		catch (Exception | LinkageError ex) {
			job.failed(new TrainingJob.Failure(null, new Object[0], String.valueOf(ex.getMessage())));
			log.error("Training run {} failed", job.id(), ex);
		}
		finally {
			delete(job.workDir().resolve("photos"));
			if (job.state() != TrainingJob.State.DONE) {
				delete(job.workDir());
			}
		}
	}

	/** Copies the request body to disk, stopping one byte past the limit. */
	private void receive(InputStream body, Path zip) throws IOException {
		long max = properties.maxArchiveSize().toBytes();
		long written = 0;
		byte[] buffer = new byte[64 * 1024];
		try (OutputStream out = Files.newOutputStream(zip)) {
			int n;
			while ((n = body.read(buffer)) > 0) {
				written += n;
				if (written > max) {
					throw archiveTooLarge(written);
				}
				out.write(buffer, 0, n);
			}
		}
		if (written == 0) {
			throw new InputRejectedException(HttpStatus.BAD_REQUEST, "training.rejected.no-archive", "empty body");
		}
	}

	private void requireFreeName(String name, TrainingJob publishing) {
		boolean taken = imageModels.find(name).isPresent() || ModelFiles.isNameInUse(modelsDir, name)
				|| jobs.values()
					.stream()
					.anyMatch(job -> job != publishing && job.name().equals(name)
							&& (job.state() == TrainingJob.State.DONE || !job.state().isFinished()));
		if (taken) {
			throw new InputRejectedException(HttpStatus.CONFLICT, "training.rejected.name-taken",
					"a model named " + name + " exists", name);
		}
	}

	private void forgetOldJobs() {
		List<TrainingJob> all = jobs();
		for (TrainingJob old : all.subList(Math.min(all.size(), KEPT_JOBS - 1), all.size())) {
			if (old.state().isFinished()) {
				jobs.remove(old.id());
				delete(old.workDir());
			}
		}
	}

	private static InputRejectedException busy() {
		return new InputRejectedException(HttpStatus.CONFLICT, "training.rejected.busy",
				"a training run is already being uploaded, queued or running");
	}

	private InputRejectedException archiveTooLarge(long bytes) {
		return new InputRejectedException(HttpStatus.CONTENT_TOO_LARGE, "training.rejected.archive-too-large",
				"zip of " + bytes + " bytes over the limit", properties.maxArchiveMegabytes());
	}

	static InputRejectedException rejected(TrainingInputException ex) {
		if (ex.code() == null) {
			return new InputRejectedException(HttpStatus.BAD_REQUEST, "training.rejected.other", ex.getMessage(),
					ex.getMessage());
		}
		HttpStatus status = switch (ex.code()) {
			case "file-too-large", "archive-too-large-unpacked", "too-many-files", "photo-too-many-pixels" ->
				HttpStatus.CONTENT_TOO_LARGE;
			case "photo-not-an-image", "photo-unsupported-format", "not-a-zip" -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
			case "photo-corrupt", "photo-empty" -> HttpStatus.UNPROCESSABLE_CONTENT;
			default -> HttpStatus.BAD_REQUEST;
		};
		return new InputRejectedException(status, "training.rejected." + ex.code(), ex.getMessage(), ex.arguments());
	}

	private static InputRejectedException unknown(String id) {
		return new InputRejectedException(HttpStatus.NOT_FOUND, "training.unknown", "no training run " + id);
	}

	private static void delete(Path dir) {
		try {
			FileSystemUtils.deleteRecursively(dir);
		}
		catch (IOException ex) {
			log.warn("Could not delete {}: {}", dir, ex.getMessage());
		}
	}

}
