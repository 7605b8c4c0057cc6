package org.mlpages.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.IntStream;

import ai.djl.translate.TranslateException;
import org.mlpages.history.Prediction;
import org.mlpages.history.PredictionLog;
import org.mlpages.history.PredictionRecord;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.image.photo.DecodedPhoto;
import org.mlpages.image.photo.PhotoDecoder;
import org.mlpages.image.photo.PhotoRejectedException;
import org.mlpages.image.photo.PhotoSizeCheck;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MlPagesProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartRequest;

/**
 * One photo through one model, the same for the page and the API: decode, prepare,
 * predict, keep the photo, log the row. A photo refused at any step leaves neither a file
 * nor a row.
 */
@Service
public class ImageClassificationService {

	private static final Logger log = LoggerFactory.getLogger(ImageClassificationService.class);

	private final ImageModels models;

	private final PhotoDecoder decoder;

	private final PhotoSizeCheck sizeCheck;

	private final UploadStore uploads;

	private final PredictionLog predictionLog;

	private final long maxPixels;

	private final Duration loadingWait;

	private final PhotosInMemory inMemory;

	private final PhotoQueue queue;

	/**
	 * Decoding is CPU-bound, so no more run at once than there are cores, whatever the
	 * number of request threads. Their memory is bounded by the decoder's own budget.
	 */
	private final Semaphore decodePermits = new Semaphore(Runtime.getRuntime().availableProcessors(), true);

	ImageClassificationService(ImageModels models, UploadStore uploads, PredictionLog predictionLog,
			PhotosInMemory inMemory, PhotoQueue queue, MlPagesProperties properties) {
		this.models = models;
		this.queue = queue;
		this.uploads = uploads;
		this.predictionLog = predictionLog;
		this.maxPixels = properties.image().maxPixels();
		this.loadingWait = properties.image().loadingWait();
		this.decoder = new PhotoDecoder(maxPixels);
		this.sizeCheck = new PhotoSizeCheck(properties.image().minSide());
		this.inMemory = inMemory;
	}

	/**
	 * A request that comes while its model is still loading at start-up waits for it a
	 * little (a load takes seconds) rather than failing at once.
	 */
	public ImageModel model(String name) {
		Optional<ImageModel> model = models.find(name);
		if (model.isEmpty() && models.isLoading(name)) {
			model = models.awaitReady(name, loadingWait);
			if (model.isEmpty() && models.isLoading(name)) {
				throw new InputRejectedException(HttpStatus.SERVICE_UNAVAILABLE, "model.loading",
						"image model " + name + " is still loading", name);
			}
		}
		return model.orElseThrow(() -> new InputRejectedException(HttpStatus.NOT_FOUND, "model.unknown",
				"no ready image model named " + name, name));
	}

	/** Whether that model is ready here, without waiting for one still loading. */
	public boolean serves(String name) {
		return models.find(name).isPresent();
	}

	/** A photo this app stored, by the name it gave it. */
	public Optional<java.nio.file.Path> storedPhoto(String storedName) {
		return uploads.find(storedName);
	}

	/** Photos waiting for room in the heap's budget for photos. */
	int photosWaitingForMemory() {
		return inMemory.waiting();
	}

	/** Photos waiting for a decoding slot. */
	int decodesWaiting() {
		return decodePermits.getQueueLength();
	}

	/**
	 * The one photo of the request: a request with several (a crafted form, a script) is
	 * refused rather than answered for the first alone.
	 */
	public static void requireOnePhoto(MultipartRequest request, String part) {
		if (request.getFiles(part).size() > 1) {
			throw new InputRejectedException(HttpStatus.BAD_REQUEST, "upload.rejected.several",
					request.getFiles(part).size() + " photos in one request");
		}
	}

	/**
	 * A photo as uploaded, classified when a worker of the photo queue is free; the
	 * calling thread does not wait for it.
	 * @throws InputRejectedException 503 {@code photos.busy} when the queue is full
	 */
	public CompletableFuture<Prediction> classifyInTurn(String modelName, MultipartFile upload, Channel channel) {
		return queue.submit(() -> {
			try {
				return classify(modelName, upload, channel);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot read the uploaded photo", ex);
			}
		});
	}

	/**
	 * A photo as uploaded: it first takes its share of the heap photos may hold
	 * ({@link PhotosInMemory}), so that its bytes are only read once there is room.
	 */
	public Prediction classify(String modelName, MultipartFile upload, Channel channel) throws IOException {
		ImageModel model = model(modelName);
		// Tomcat copies a part it holds in memory each time its size is asked before its
		// stream is opened, and getBytes() copies it twice more; opened first, the stream
		// hands over the part's own bytes and the size costs nothing. A part kept on disk
		// is only read once there is room.
		try (InputStream in = upload.getInputStream();
				PhotosInMemory.Room room = inMemory.reserve(upload.getSize(), model.preprocessor().tensorSize())) {
			return classify(model, UploadedPhoto.of(upload.getOriginalFilename(), in.readAllBytes()), channel);
		}
	}

	public Prediction classify(String modelName, UploadedPhoto photo, Channel channel) {
		return classify(model(modelName), photo, channel);
	}

	private Prediction classify(ImageModel model, UploadedPhoto photo, Channel channel) {
		long start = System.nanoTime();
		PreparedPhoto prepared;
		float[] scores;
		double inferenceMs;
		// announced from its decoding on: a batch being formed waits a few ms for it
		try (PreparedPhoto incoming = prepare(photo, model)) {
			prepared = incoming;
			long inferenceStart = System.nanoTime();
			scores = predict(model, incoming.photo(), incoming.tensor());
			inferenceMs = (System.nanoTime() - inferenceStart) / 1e6;
		}
		Map<String, Double> probabilities = model.probabilities(scores);
		String label = topLabel(probabilities);
		String stored = store(photo, prepared.format());
		try {
			double latencyMs = (System.nanoTime() - start) / 1e6;
			return predictionLog
				.record(PredictionRecord.image(channel, model.name(), model.sha256(), stored, photo.originalName(),
						prepared.width(), prepared.height(), label, probabilities, inferenceMs, latencyMs));
		}
		catch (RuntimeException ex) {
			uploads.delete(stored);
			throw ex;
		}
	}

	/** A photo of a batch: its row in the batch, and the file as it was sent. */
	public record BatchPhoto(int row, String originalName, byte[] bytes) {
	}

	/**
	 * Photos of a batch through the model's batch inference, all at once: those that can
	 * be read are predicted in one call, kept and logged with their batch and row in one
	 * commit; a photo that cannot be read gets its refusal and the others go on. Not
	 * micro-batched with the people's photos: this runs in the batch's own thread.
	 * @param allCores whether the batch may take every core (when nobody is waiting for
	 * an answer): its photos decoded on all at once, predicted on every idle predictor;
	 * otherwise one after the other, on one predictor
	 * @return why each refused photo was refused, by row
	 * @throws InputRejectedException 404 when the model is no longer served, 503 when it
	 * is loading or closing or the photos cannot be kept: nothing is logged then
	 */
	public Map<Integer, InputRejectedException> classifyBatch(String modelName, List<BatchPhoto> photos,
			Channel channel, String batchId, boolean allCores) {
		long start = System.nanoTime();
		ImageModel model = model(modelName);
		Map<Integer, InputRejectedException> refused = new LinkedHashMap<>();
		List<ReadPhoto> read = new ArrayList<>(photos.size());
		// decoded on the cores at once when nobody else waits for them, as people's
		// photos are (each on its request's thread): 77 photos/s against 67 one after
		// the other (bench/photo-batch.sh)
		float[][] tensors = new float[photos.size()][];
		IntStream rows = IntStream.range(0, photos.size());
		List<Object> outcomes = (allCores ? rows.parallel() : rows).mapToObj(i -> {
			BatchPhoto photo = photos.get(i);
			try {
				DecodedPhoto pixels = decode(UploadedPhoto.of(photo.originalName(), photo.bytes()), model);
				tensors[i] = model.preprocessor().toTensor(pixels);
				// only the size and format are kept: the pixels go with the lambda
				return (Object) new ReadPhoto(photo, pixels.format(), pixels.width(), pixels.height());
			}
			catch (InputRejectedException ex) {
				return ex;
			}
		}).toList();
		List<float[]> readTensors = new ArrayList<>(photos.size());
		for (int i = 0; i < photos.size(); i++) {
			if (outcomes.get(i) instanceof ReadPhoto photo) {
				readTensors.add(tensors[i]);
				read.add(photo);
			}
			else {
				refused.put(photos.get(i).row(), (InputRejectedException) outcomes.get(i));
			}
		}
		if (read.isEmpty()) {
			return refused;
		}
		var input = model.preprocessor().preprocessing();
		long inferenceStart = System.nanoTime();
		float[][] scores;
		try {
			PhotoBatch batch = new PhotoBatch(readTensors, input.height(), input.width(), input.color().channels());
			scores = allCores ? model.predict(batch) : model.predictOnOne(batch);
		}
		catch (ModelClosedException ex) {
			throw closing(model, ex);
		}
		catch (TranslateException ex) {
			throw new IllegalStateException("model " + model.name() + " failed to predict a batch", ex);
		}
		double inferenceMs = (System.nanoTime() - inferenceStart) / 1e6 / read.size();
		List<String> stored = new ArrayList<>(read.size());
		List<PredictionRecord> records = new ArrayList<>(read.size());
		try {
			for (int i = 0; i < read.size(); i++) {
				ReadPhoto photo = read.get(i);
				Map<String, Double> probabilities = model.probabilities(scores[i]);
				String name = store(new UploadedPhoto(photo.photo().originalName(), photo.photo().bytes()),
						photo.format());
				stored.add(name);
				double latencyMs = (System.nanoTime() - start) / 1e6 / photos.size();
				records.add(PredictionRecord
					.image(channel, model.name(), model.sha256(), name, photo.photo().originalName(), photo.width(),
							photo.height(), topLabel(probabilities), probabilities, inferenceMs, latencyMs)
					.inBatch(batchId, photo.photo().row()));
			}
			predictionLog.recordAll(records);
		}
		catch (RuntimeException ex) {
			stored.forEach(uploads::delete);
			throw ex;
		}
		return refused;
	}

	/**
	 * Decoded and turned into the model's tensor; the decoded pixels are not kept past
	 * that, since the photo may then wait for its batch a while.
	 */
	private PreparedPhoto prepare(UploadedPhoto photo, ImageModel model) {
		PhotoBatcher.IncomingPhoto incoming;
		try {
			incoming = model.incomingPhoto();
		}
		catch (ModelClosedException ex) {
			throw closing(model, ex);
		}
		try {
			DecodedPhoto decoded = decode(photo, model);
			float[] tensor = model.preprocessor().toTensor(decoded);
			return new PreparedPhoto(tensor, decoded.format(), decoded.width(), decoded.height(), incoming);
		}
		catch (RuntimeException | Error ex) {
			incoming.close();
			throw ex;
		}
	}

	private DecodedPhoto decode(UploadedPhoto photo, ImageModel model) {
		try {
			decodePermits.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting to decode", ex);
		}
		var input = model.preprocessor().preprocessing();
		try {
			DecodedPhoto decoded = decoder.decodeFor(photo.bytes(), input);
			sizeCheck.requireMinimum(decoded, input);
			return decoded;
		}
		catch (PhotoRejectedException ex) {
			log.info("photo '{}' ({} bytes) refused: {}", photo.originalName(), photo.bytes().length, ex.getMessage());
			throw PhotoRejections.toInputRejected(ex, maxPixels, sizeCheck.floor(input));
		}
		finally {
			decodePermits.release();
		}
	}

	private static float[] predict(ImageModel model, PhotoBatcher.IncomingPhoto incoming, float[] tensor) {
		try {
			return incoming.predict(tensor);
		}
		catch (ModelClosedException ex) {
			throw closing(model, ex);
		}
		catch (TranslateException ex) {
			throw new IllegalStateException("model " + model.name() + " failed to predict", ex);
		}
	}

	private static InputRejectedException closing(ImageModel model, ModelClosedException ex) {
		return new InputRejectedException(HttpStatus.SERVICE_UNAVAILABLE, "model.closing", ex.getMessage(),
				model.name());
	}

	private static String topLabel(Map<String, Double> probabilities) {
		return probabilities.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
	}

	/**
	 * A photo that cannot be kept is not answered: its row would point at nothing. The
	 * person is told to come back; the operator reads why in the log.
	 */
	private String store(UploadedPhoto photo, String format) {
		try {
			return uploads.save(photo.bytes(), format);
		}
		catch (IOException ex) {
			log.error("cannot keep an uploaded photo in the uploads folder (full or read-only?): {}", ex.toString());
			throw new InputRejectedException(HttpStatus.SERVICE_UNAVAILABLE, "error.storage",
					"cannot store the upload: " + ex.getMessage());
		}
	}

	/** A batch's photo once read: its tensor went into the batch's. */
	private record ReadPhoto(BatchPhoto photo, String format, int width, int height) {
	}

	/** A photo's tensor, still announced to its model's batcher until closed. */
	private record PreparedPhoto(float[] tensor, String format, int width, int height,
			PhotoBatcher.IncomingPhoto photo) implements AutoCloseable {

		@Override
		public void close() {
			photo.close();
		}

	}

}
