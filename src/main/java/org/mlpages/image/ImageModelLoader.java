package org.mlpages.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntConsumer;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.micrometer.core.instrument.MeterRegistry;
import org.mlpages.image.photo.DecodedPhoto;
import org.mlpages.image.photo.PhotoDecoder;
import org.mlpages.keras.ImportedModel;
import org.mlpages.keras.KerasModelImporter;
import org.mlpages.keras.TensorFlowNatives;
import org.mlpages.system.MlPagesProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Turns {@code name.h5} + {@code name.yml} into a model that answers: convert, check,
 * load with DJL.
 */
@Component
public class ImageModelLoader {

	private static final Logger log = LoggerFactory.getLogger(ImageModelLoader.class);

	// a 64x64 colour gradient made for this, beside this class in the jar
	private static final String WARM_UP_PHOTO = "warm-up.jpg";

	// per process, as TensorFlow's thread pools
	private static boolean engineStarted;

	private final Path cacheDir;

	private final int poolSize;

	private final int intraOpThreads;

	private final int interOpThreads;

	private final MlPagesProperties.Batching batching;

	private final MeterRegistry meters;

	private final KerasModelImporter importer = new KerasModelImporter();

	/** Without metrics: for tests and benchmarks that load a model by themselves. */
	public ImageModelLoader(MlPagesProperties properties) {
		this(properties, (MeterRegistry) null);
	}

	@Autowired
	public ImageModelLoader(MlPagesProperties properties, ObjectProvider<MeterRegistry> meters) {
		this(properties, meters.getIfAvailable());
	}

	private ImageModelLoader(MlPagesProperties properties, MeterRegistry meters) {
		this.meters = meters;
		this.batching = properties.image().batching();
		this.cacheDir = properties.cacheDir();
		this.poolSize = properties.image().effectivePoolSize();
		this.intraOpThreads = properties.image().intraOpThreads();
		this.interOpThreads = properties.image().interOpThreads();
	}

	/**
	 * Converts a Keras file (or finds its conversion in the cache) without serving it:
	 * what an administrator sees of an uploaded model before describing it.
	 */
	public ImportedModel importModel(Path modelFile) throws IOException {
		TensorFlowNatives.ensureLoaded(cacheDir);
		startEngine();
		return importer.importModel(modelFile, cacheDir);
	}

	/** A model that answers: converted, checked against its descriptor, loaded. */
	public ImageModel load(String name, Path modelFile, Path descriptorFile)
			throws IOException, ModelNotFoundException, MalformedModelException {
		long start = System.nanoTime();
		ImageModelDescriptor descriptor = ImageModelDescriptorReader.read(descriptorFile);
		TensorFlowNatives.ensureLoaded(cacheDir);
		startEngine();
		ImportedModel imported = importer.importModel(modelFile, cacheDir);
		// a descriptor written for another model fails here, at start-up, not on
		// someone's photo
		ImageModelIo io = ImageModelIo.resolve(descriptor, imported);
		Criteria<PhotoBatch, float[][]> criteria = Criteria.builder()
			.setTypes(PhotoBatch.class, float[][].class)
			.optModelPath(imported.savedModelDir())
			.optEngine("TensorFlow")
			.optTranslator(new ProbabilitiesTranslator(io))
			.build();
		ZooModel<PhotoBatch, float[][]> zooModel = criteria.loadModel();
		ImageModel model = null;
		try {
			IntConsumer batchSizes = meters == null ? size -> {
			} : ImageModelMeters.batchSizes(meters, name, batching.maxSize());
			model = new ImageModel(name, modelFile, descriptor, io, imported, zooModel, poolSize, batching, batchSizes,
					Duration.ofNanos(System.nanoTime() - start));
			warmUp(model);
			return model;
		}
		catch (RuntimeException ex) {
			// a model that cannot predict releases its session now, not at exit
			if (model != null) {
				model.close();
			}
			else {
				zooModel.close();
			}
			throw ex;
		}
	}

	/**
	 * Closes a model no longer tried or served and forgets its meters, so that drafts
	 * tried and discarded leave no series behind.
	 */
	public void unload(ImageModel model) {
		model.close();
		if (meters != null) {
			meters.find("mlpages.inference.batch.size").tag("model", model.name()).meters().forEach(meters::remove);
		}
	}

	/**
	 * TensorFlow fixes its thread pools when the first session starts, for the whole
	 * process: the settings go in before DJL's engine starts, and the engine starts
	 * before the importer's own session, which would otherwise fix them at TensorFlow's
	 * default.
	 */
	private void startEngine() {
		synchronized (ImageModelLoader.class) {
			if (!engineStarted) {
				TensorFlowNatives.configureThreads(intraOpThreads, interOpThreads);
				Engine.getEngine("TensorFlow");
				engineStarted = true;
				log.info(
						"TensorFlow engine started: threads per prediction {}; {} predictors per model; micro-batching {}",
						TensorFlowNatives.threadSettings(), poolSize, batching.enabled() ? "up to " + batching.maxSize()
								+ " photos, waiting at most " + batching.maxWait().toMillis() + " ms" : "off");
			}
		}
	}

	/**
	 * TensorFlow optimises a graph on its first run, which takes ten times a normal
	 * prediction, and the photo's own path (the JPEG decoder's natives and classes, the
	 * resize) is slow the first time too: pay both here, at start-up, with a small photo
	 * of our own, rather than on the first visitor's photo (docs/benchmarks.md, "The
	 * first photo after a start").
	 */
	private static void warmUp(ImageModel model) {
		var input = model.preprocessor().preprocessing();
		try (InputStream in = ImageModelLoader.class.getResourceAsStream(WARM_UP_PHOTO)) {
			if (in == null) {
				throw new IOException("not found");
			}
			DecodedPhoto photo = new PhotoDecoder().decodeFor(in.readAllBytes(), input);
			model.predict(PhotoBatch.of(model.preprocessor().toTensor(photo), input.height(), input.width(),
					input.color().channels()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("the warm-up photo " + WARM_UP_PHOTO + " cannot be read from the jar", ex);
		}
		catch (TranslateException ex) {
			throw new IllegalStateException("the model loaded but cannot predict: " + ex.getMessage(), ex);
		}
	}

}
