package org.mlpages.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import org.mlpages.catalog.ModelCard;
import org.mlpages.image.photo.TensorPreprocessor;
import org.mlpages.keras.ClassActivationMaps;
import org.mlpages.keras.ImportedModel;
import org.mlpages.system.MlPagesProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.MessageSource;

/**
 * A Keras image classifier converted, loaded and ready to answer, with what its card
 * shows.
 */
public final class ImageModel implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(ImageModel.class);

	private final String name;

	private final Path file;

	private final ImageModelDescriptor descriptor;

	private final ImportedModel imported;

	private final ZooModel<PhotoBatch, float[][]> zooModel;

	private final PredictorPool predictors;

	private final PhotoBatcher batcher;

	private final Duration loadTime;

	private final TensorPreprocessor preprocessor;

	private final ImageModelIo io;

	/**
	 * Guards the activation maps, which take a few hundred ms to build: the result pages
	 * ask {@link #endsInGlobalPooling} meanwhile and must not wait for them.
	 */
	private final Object mapsLock = new Object();

	private Optional<ClassActivationMaps> activationMaps;

	private final AtomicReference<Boolean> endsInGlobalPooling = new AtomicReference<>();

	private boolean closed;

	ImageModel(String name, Path file, ImageModelDescriptor descriptor, ImageModelIo io, ImportedModel imported,
			ZooModel<PhotoBatch, float[][]> zooModel, int poolSize, MlPagesProperties.Batching batching,
			IntConsumer batchSizes, Duration loadTime) {
		this.name = name;
		this.file = file;
		this.descriptor = descriptor;
		this.imported = imported;
		this.zooModel = zooModel;
		this.predictors = new PredictorPool(zooModel, poolSize);
		this.loadTime = loadTime;
		this.io = io;
		this.preprocessor = new TensorPreprocessor(io.preprocessing());
		var input = io.preprocessing();
		this.batcher = new PhotoBatcher(name, input.height(), input.width(), input.color().channels(),
				predictors::predictOnOne, poolSize, batching.maxSize(), batching.maxWait(),
				PhotoBatcher.defaultMaxPrepared(poolSize, batching.maxSize()), batchSizes);
	}

	public String name() {
		return name;
	}

	public String sha256() {
		return imported.sha256();
	}

	public ImageModelDescriptor descriptor() {
		return descriptor;
	}

	/** Turns a decoded photo into this model's input; thread-safe. */
	public TensorPreprocessor preprocessor() {
		return preprocessor;
	}

	/**
	 * Class scores for each photo of the batch, in label order. The batch is split over
	 * the predictors idle at that moment; it does not wait for other photos.
	 */
	public float[][] predict(PhotoBatch batch) throws TranslateException {
		return predictors.predict(batch);
	}

	/**
	 * Class scores for each photo of the batch, on one predictor: the others stay free
	 * for the people's photos (a batch of photos while people are being answered).
	 */
	public float[][] predictOnOne(PhotoBatch batch) throws TranslateException {
		return predictors.predictOnOne(batch);
	}

	/**
	 * A photo about to be decoded for this model: photos handed over meanwhile may wait
	 * for it a few milliseconds, to be predicted together (micro-batching).
	 */
	PhotoBatcher.IncomingPhoto incomingPhoto() {
		return batcher.incoming();
	}

	/**
	 * One photo's class scores, in label order, predicted with the photos waiting beside
	 * it; a lone photo does not wait.
	 */
	public float[] predictOne(float[] tensor) throws TranslateException {
		try (PhotoBatcher.IncomingPhoto photo = batcher.incoming()) {
			return photo.predict(tensor);
		}
	}

	/**
	 * Photos being decoded or prepared for this model right now: a batch not yet full
	 * waits a few milliseconds for them.
	 */
	public int photosOnTheirWay() {
		return batcher.onTheirWay();
	}

	/** The most photos predicted in one call; 1 when micro-batching is off. */
	public int maxBatchSize() {
		return batcher.maxSize();
	}

	/** Predictions this model runs at once at most (its predictors). */
	public int predictorCount() {
		return predictors.size();
	}

	/** Predictions running right now. */
	public int predictionsRunning() {
		return predictors.busy();
	}

	/**
	 * Photos waiting for a free predictor (queued for a batch, waiting to be decoded for
	 * it, or callers of {@link #predict} waiting): more than zero for long means the
	 * model is saturated.
	 */
	public int predictionsWaiting() {
		return predictors.waiting() + batcher.waiting() + batcher.waitingToBeAnnounced();
	}

	/** Label id to probability, in the model's label order. */
	public Map<String, Double> probabilities(float[] scores) {
		Map<String, Double> probabilities = new LinkedHashMap<>();
		for (int i = 0; i < scores.length; i++) {
			probabilities.put(descriptor.labels().get(i).id(), (double) scores[i]);
		}
		return probabilities;
	}

	public String displayLabel(String labelId, Locale locale) {
		return descriptor.labels()
			.stream()
			.filter(label -> label.id().equals(labelId))
			.findFirst()
			.map(label -> label.displayName(locale))
			.orElse(labelId);
	}

	public String pagePath() {
		return "/image/" + name;
	}

	Duration loadTime() {
		return loadTime;
	}

	ModelCard card(Locale locale, MessageSource messages) {
		return new ModelCard(name, "image-classifier", descriptor.title().in(locale), ModelCard.Status.READY, null,
				file.getFileName().toString(), imported.fileSize(), imported.sha256(),
				"Keras " + imported.kerasVersion() + " (" + imported.backend() + ")",
				Arrays.toString(imported.inputShape()),
				descriptor.labels().stream().map(label -> label.displayName(locale)).toList(),
				ImageModelDescriptor.Input.summary(preprocessor.preprocessing(), messages, locale), loadTime.toMillis(),
				pagePath(), details(locale, messages));
	}

	/** What the output means, in the reader's words, and the accuracy measured if any. */
	private Map<String, String> details(Locale locale, MessageSource messages) {
		Map<String, String> details = new java.util.LinkedHashMap<>();
		String positive = io.positiveLabel() < 0 ? null
				: descriptor.labels().get(io.positiveLabel()).displayName(locale);
		String kind = io.positiveLabel() < 0 ? io.output().name() : io.output().name() + ".one";
		details.put("model.output", messages.getMessage("model.output." + kind, new Object[] { positive }, locale));
		if (descriptor.accuracy() != null) {
			details.put("model.accuracy", descriptor.accuracy().in(locale));
		}
		return details;
	}

	/**
	 * The model's class activation maps, built the first time someone asks where the
	 * model looked (a second graph of the model, kept while the model is served), empty
	 * when the model does not end in global pooling and a Dense layer.
	 * @param cacheDir where TensorFlow's native libraries are
	 */
	public Optional<ClassActivationMaps> activationMaps(Path cacheDir) {
		synchronized (mapsLock) {
			return openActivationMaps(cacheDir);
		}
	}

	private Optional<ClassActivationMaps> openActivationMaps(Path cacheDir) {
		if (Boolean.FALSE.equals(endsInGlobalPooling.get())) {
			return Optional.empty();
		}
		if (closed) {
			throw new ModelClosedException(name);
		}
		if (activationMaps == null) {
			try {
				activationMaps = ClassActivationMaps.open(file, cacheDir);
				if (activationMaps.isPresent() && !reproducesAnswers(activationMaps.get())) {
					log.warn("Model {}: its class activation maps do not give its own probabilities; occlusion instead",
							name);
					activationMaps.get().close();
					activationMaps = Optional.empty();
				}
			}
			catch (IOException | TranslateException | RuntimeException ex) {
				// the map falls back to occlusion, which any model the importer loads has
				log.warn("Model {}: no class activation maps: {}", name, ex.getMessage());
				activationMaps = Optional.empty();
			}
			endsInGlobalPooling.set(activationMaps.isPresent());
		}
		return activationMaps;
	}

	/**
	 * Whether the maps give back the model's own probabilities for a photo of noise: a
	 * map from a graph that differs from the served one would point at the wrong places.
	 */
	private boolean reproducesAnswers(ClassActivationMaps maps) throws TranslateException {
		var input = preprocessor.preprocessing();
		BufferedImage noise = new BufferedImage(input.width(), input.height(), BufferedImage.TYPE_INT_RGB);
		Random random = new Random(7);
		for (int y = 0; y < input.height(); y++) {
			for (int x = 0; x < input.width(); x++) {
				noise.setRGB(x, y, random.nextInt(1 << 24));
			}
		}
		float[] tensor = preprocessor.toTensor(noise);
		float[] served = predictOnOne(
				PhotoBatch.of(tensor, input.height(), input.width(), input.color().channels()))[0];
		float[] mapped = ClassActivationMaps.probabilities(maps.maps(tensor));
		if (served.length != mapped.length) {
			return false;
		}
		for (int i = 0; i < served.length; i++) {
			if (Math.abs(served[i] - mapped[i]) > 1e-3) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether the model ends in global pooling and a Dense layer, so that
	 * {@link #activationMaps} can be had: read from the model's config once, nothing
	 * built.
	 */
	public boolean endsInGlobalPooling() {
		if (endsInGlobalPooling.get() == null) {
			boolean fits;
			try {
				fits = ClassActivationMaps.fits(file);
			}
			catch (IOException | RuntimeException ex) {
				// the map falls back to occlusion, which any model the importer loads has
				log.warn("Model {}: cannot tell whether it has class activation maps: {}", name, ex.getMessage());
				fits = false;
			}
			// the maps, once built, know better than the config
			endsInGlobalPooling.compareAndSet(null, fits);
		}
		return endsInGlobalPooling.get();
	}

	@Override
	public void close() {
		batcher.close();
		predictors.close();
		zooModel.close();
		synchronized (mapsLock) {
			closed = true;
			if (activationMaps != null) {
				activationMaps.ifPresent(ClassActivationMaps::close);
			}
		}
	}

}
