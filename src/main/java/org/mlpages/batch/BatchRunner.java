package org.mlpages.batch;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.image.ImageClassificationService;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.tabular.TabularModel;
import org.mlpages.tabular.TabularService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Scores the batches one after the other, slice by slice, in one thread at the lowest
 * priority, and in short steps while people are being answered ({@link BatchPacing}): a
 * person waiting for one decision goes first. Batches accepted and not finished when the
 * app stopped are taken up again when it starts, from the first row with no answer (the
 * log says which rows have theirs). While the database is away a batch waits and goes on,
 * it does not fail.
 * <p>
 * Several instances may share the database: an instance runs a batch only while it holds
 * the batch's claim ({@link BatchRepository#claim}), renewed at every slice, so no two
 * score it together; four times per lease ({@code mlpages.batch.lease}, 2 minutes) each
 * looks for batches nobody holds (not started, or whose instance died and stopped
 * renewing) and takes them. A batch of photos is taken only where its photos are (the
 * batches' folder shared).
 */
@Component
class BatchRunner implements SmartLifecycle, SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(BatchRunner.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<List<String>> COLUMNS = new TypeReference<>() {
	};

	private static final Duration DATABASE_RETRY = Duration.ofSeconds(5);

	private final TabularService tabular;

	private final ImageClassificationService images;

	private final BatchPhotos photos;

	private final BatchRepository batches;

	private final BatchRows rows;

	private final BatchPacing pacing;

	private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();

	private final String me;

	private final Duration lease;

	private final Clock clock = Clock.systemUTC();

	private volatile Thread worker;

	private volatile boolean running;

	BatchRunner(TabularService tabular, ImageClassificationService images, BatchPhotos photos, BatchRepository batches,
			BatchRows rows, BatchPacing pacing, BatchProperties properties, MlPagesProperties app) {
		this.me = instanceName(app.dataDir());
		this.lease = properties.lease();
		this.tabular = tabular;
		this.images = images;
		this.photos = photos;
		this.batches = batches;
		this.rows = rows;
		this.pacing = pacing;
	}

	void enqueue(String batchId) {
		queue.add(batchId);
	}

	/**
	 * The same after a restart, so that a batch it held is taken up at once rather than
	 * when its claim runs out; two instances on one machine have two data folders.
	 */
	private static String instanceName(Path dataDir) {
		String host = System.getenv("HOSTNAME");
		if (host == null || host.isBlank()) {
			try {
				host = InetAddress.getLocalHost().getHostName();
			}
			catch (IOException ex) {
				host = "localhost";
			}
		}
		String name = host + ":" + dataDir.toAbsolutePath().normalize();
		return name.length() > 255 ? name.substring(name.length() - 255) : name;
	}

	/**
	 * Four looks per lease: a batch whose instance died waits about a lease and a
	 * quarter.
	 */
	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(this::takeUnclaimed, lease.dividedBy(4));
	}

	/**
	 * Batches no instance holds: taken here. The queue is scored in order, so one already
	 * in it is not added twice.
	 */
	void takeUnclaimed() {
		if (!running) {
			return;
		}
		try {
			for (String id : batches.findUnclaimed(clock.instant())) {
				if (!queue.contains(id) && batches.findById(id).filter(this::canRunHere).isPresent()) {
					log.info("batch {}: nobody runs it; taken up here", id);
					queue.add(id);
				}
			}
		}
		catch (DataAccessException ex) {
			log.warn("batches: cannot look for batches to take up ({})", ex.getMessage());
		}
	}

	/**
	 * Its model is served here (a model just published elsewhere may not be yet), and its
	 * photos are here.
	 */
	private boolean canRunHere(Batch batch) {
		if (batch.isPhotos()) {
			return photos.has(batch.getId()) && images.serves(batch.getModelName());
		}
		return tabular.find(batch.getModelName()).isPresent();
	}

	private boolean claim(String id) {
		if (batches.claim(id, me, clock.instant(), lease)) {
			return true;
		}
		log.info("batch {} is run by another instance; left to it", id);
		return false;
	}

	@Override
	public void start() {
		running = true;
		queue.clear();
		// what was accepted before the last stop, in the order it came
		List<Batch> waiting = batches.findByStateInOrderByCreatedAt(List.of(Batch.State.QUEUED, Batch.State.RUNNING));
		waiting.forEach(batch -> queue.add(batch.getId()));
		try {
			photos.keepOnly(waiting.stream().map(Batch::getId).collect(Collectors.toSet()));
		}
		catch (IOException ex) {
			log.warn("cannot clear the photos of finished batches: {}", ex.toString());
		}
		Thread thread = new Thread(this::work, "batch-runner");
		thread.setDaemon(true);
		thread.setPriority(Thread.MIN_PRIORITY);
		worker = thread;
		thread.start();
	}

	@Override
	public void stop() {
		running = false;
		Thread thread = worker;
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(TimeUnit.SECONDS.toMillis(30));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		worker = null;
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Stops after the web server, before the prediction log's writer. */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE + 2000;
	}

	private void work() {
		while (running) {
			try {
				String id = queue.take();
				run(id);
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				log.error("batch runner: unexpected failure; the batch stays queued until the next start", ex);
			}
		}
	}

	private void run(String id) throws InterruptedException {
		Optional<Batch> found = batches.findById(id);
		if (found.isEmpty() || found.get().getState().isFinished()) {
			return;
		}
		Batch batch = found.get();
		if (!claim(id)) {
			return;
		}
		if (batch.isPhotos()) {
			runPhotos(batch);
			return;
		}
		Optional<TabularModel> model = tabular.find(batch.getModelName());
		if (model.isEmpty()) {
			fail(batch, "model " + batch.getModelName() + " is no longer served");
			return;
		}
		CaseColumns columns;
		try {
			columns = CaseColumns.of(model.get(), JSON.readValue(batch.getColumnsJson(), COLUMNS));
		}
		catch (InputRejectedException ex) {
			fail(batch, "model " + batch.getModelName() + " changed its fields: " + ex.getMessage());
			return;
		}
		batches.markRunning(id);
		long start = System.nanoTime();
		Channel channel = Channel.valueOf(batch.getChannel().toUpperCase(Locale.ROOT));
		while (running) {
			List<BatchRows.Row> slice;
			try {
				if (!claim(id)) {
					return;
				}
				// each slice's rows are logged in one commit
				slice = rows.pending(id, pacing.slice());
			}
			catch (DataAccessException ex) {
				if (!running) {
					return;
				}
				waitForTheDatabase(batch, ex);
				continue;
			}
			if (slice.isEmpty()) {
				batches.markDone(id, Instant.now());
				log.info("batch {} of {}: {} rows in {} ms", id, batch.getModelName(), batch.getTotal(),
						(System.nanoTime() - start) / 1_000_000);
				return;
			}
			List<TabularService.BatchRow> cases = slice.stream()
				.map(row -> new TabularService.BatchRow(row.position(), columns.answers(row.cells())))
				.toList();
			try {
				Map<Integer, String> refused = new LinkedHashMap<>();
				tabular.decideBatch(batch.getModelName(), cases, channel, id)
					.forEach((position, errors) -> refused.put(position, BatchService.errorsJson(errors)));
				if (!refused.isEmpty()) {
					rows.refuse(id, refused);
				}
			}
			catch (InputRejectedException ex) {
				// retired while it ran
				fail(batch, ex.getMessage());
				return;
			}
			catch (DataAccessException ex) {
				if (!running) {
					// stopping: what was not committed is scored after the next start
					return;
				}
				waitForTheDatabase(batch, ex);
			}
			pacing.afterSlice();
		}
	}

	/**
	 * A slice of photos at a time through the model's batch inference; the photos go from
	 * the batch's folder to the uploads as they are scored.
	 */
	private void runPhotos(Batch batch) throws InterruptedException {
		String id = batch.getId();
		Channel channel = Channel.valueOf(batch.getChannel().toUpperCase(Locale.ROOT));
		long start = System.nanoTime();
		boolean marked = false;
		long sliceStart = start;
		while (running) {
			try {
				if (!claim(id)) {
					return;
				}
				images.model(batch.getModelName());
				if (!marked) {
					batches.markRunning(id);
					marked = true;
				}
				sliceStart = System.nanoTime();
				List<BatchRows.Row> slice = rows.pending(id, pacing.photoSlice());
				if (slice.isEmpty()) {
					batches.markDone(id, Instant.now());
					photos.delete(id);
					log.info("batch {} of {}: {} photos in {} ms", id, batch.getModelName(), batch.getTotal(),
							(System.nanoTime() - start) / 1_000_000);
					return;
				}
				Map<Integer, String> refused = new LinkedHashMap<>();
				List<ImageClassificationService.BatchPhoto> read = new ArrayList<>(slice.size());
				for (BatchRows.Row row : slice) {
					byte[] bytes = photos.read(id, row.position());
					if (bytes == null) {
						refused.put(row.position(), BatchService.photoRefusal("batch.photo.missing"));
					}
					else {
						read.add(new ImageClassificationService.BatchPhoto(row.position(), row.cells().get(0), bytes));
					}
				}
				images.classifyBatch(batch.getModelName(), read, channel, id, !pacing.peopleAreBeingAnswered())
					.forEach((row, why) -> refused.put(row,
							BatchService.photoRefusal(why.messageKey(), why.messageArguments())));
				if (!refused.isEmpty()) {
					rows.refuse(id, refused);
				}
			}
			catch (InputRejectedException ex) {
				if (ex.status() == HttpStatus.NOT_FOUND) {
					fail(batch, "model " + batch.getModelName() + " is no longer served");
					photos.delete(id);
					return;
				}
				// loading, closing for a new version, or the uploads full: later
				log.warn("batch {}: {}; trying again in {} s", id, ex.getMessage(), DATABASE_RETRY.toSeconds());
				Thread.sleep(DATABASE_RETRY.toMillis());
			}
			catch (DataAccessException ex) {
				if (!running) {
					return;
				}
				waitForTheDatabase(batch, ex);
			}
			catch (IOException ex) {
				log.warn("batch {}: cannot read its photos ({}); trying again in {} s", id, ex.toString(),
						DATABASE_RETRY.toSeconds());
				Thread.sleep(DATABASE_RETRY.toMillis());
			}
			pacing.afterPhotos(System.nanoTime() - sliceStart);
		}
	}

	private void waitForTheDatabase(Batch batch, DataAccessException ex) throws InterruptedException {
		log.warn("batch {}: the database is unavailable ({}); trying again in {} s", batch.getId(), ex.getMessage(),
				DATABASE_RETRY.toSeconds());
		Thread.sleep(DATABASE_RETRY.toMillis());
	}

	private void fail(Batch batch, String why) {
		log.warn("batch {} failed: {}", batch.getId(), why);
		batches.markFailed(batch.getId(), Instant.now(), why.length() > 255 ? why.substring(0, 255) : why);
	}

}
