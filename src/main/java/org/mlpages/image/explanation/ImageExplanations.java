package org.mlpages.image.explanation;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import ai.djl.translate.TranslateException;
import org.mlpages.history.Prediction;
import org.mlpages.history.PredictionLog;
import org.mlpages.image.ImageClassificationService;
import org.mlpages.image.ImageModel;
import org.mlpages.image.photo.DecodedPhoto;
import org.mlpages.image.photo.PhotoDecoder;
import org.mlpages.image.photo.TensorPreprocessor;
import org.mlpages.keras.ClassActivationMaps;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MlPagesProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Where an image model looked for one of its answers, computed when someone asks (never
 * while the photo is classified), then kept with the prediction: asked again, it is read,
 * not computed.
 * <p>
 * Two methods: the class activation map for a model that ends in global pooling and a
 * Dense layer (one forward pass of a second graph of the model, built on first use), and
 * occlusion for any model (50 forward passes in batches of 16, on one of the model's
 * predictors, so that the others stay free for the people's photos). One map is computed
 * at a time; a second person asking waits for the first map. Measured with
 * bench/explanation-time.sh.
 */
@Service
public class ImageExplanations {

	private static final Logger log = LoggerFactory.getLogger(ImageExplanations.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Cells on each side of the occlusion grid: 50 forward passes. */
	static final int CELLS = 8;

	static final int BATCH = 16;

	private static final long WAIT_SECONDS = 20;

	private final ImageClassificationService images;

	private final PredictionLog predictionLog;

	private final PhotoDecoder decoder;

	private static final List<String> METHODS = List.of(HeatMap.CLASS_ACTIVATION, HeatMap.OCCLUSION);

	private static final String METHODS_LISTED = String.join(", ", METHODS);

	private final Path cacheDir;

	private final Semaphore oneAtATime = new Semaphore(1, true);

	ImageExplanations(ImageClassificationService images, PredictionLog predictionLog, MlPagesProperties properties) {
		this.images = images;
		this.predictionLog = predictionLog;
		this.decoder = new PhotoDecoder(properties.image().maxPixels());
		this.cacheDir = properties.cacheDir();
	}

	/**
	 * The map of a prediction, as kept or as computed now.
	 *
	 * @param seen the part of the photo the model saw, in its pixels, upright
	 * @param millis how long the map took to compute
	 */
	public record Explanation(String method, String label, double probability, int rows, int cols,
			List<List<Double>> values, Region seen, long millis) {

		HeatMap heatMap() {
			float[] flat = new float[rows * cols];
			for (int row = 0; row < rows; row++) {
				for (int col = 0; col < cols; col++) {
					flat[row * cols + col] = values.get(row).get(col).floatValue();
				}
			}
			return new HeatMap(method, rows, cols, flat, (float) probability);
		}

	}

	/** A rectangle of the photo, in its pixels. */
	public record Region(int x, int y, int width, int height) {
	}

	/** The method a map of this model is made with when none is asked for. */
	public String methodFor(ImageModel model) {
		return model.endsInGlobalPooling() ? HeatMap.CLASS_ACTIVATION : HeatMap.OCCLUSION;
	}

	/**
	 * @param method {@value HeatMap#OCCLUSION}, {@value HeatMap#CLASS_ACTIVATION}, or
	 * null for the map already kept, else the model's own ({@link #methodFor})
	 * @throws InputRejectedException 400 for an unknown method, 404 when the prediction
	 * is not an image model's, its photo is gone or its model has no such map, 409 when
	 * its model was replaced since, 503 while another map is computed for too long
	 */
	public Explanation explain(Prediction prediction, String method) {
		// a tabular decision keeps its own explanation (the answers that weighed most) in
		// the same column: it is not a map
		if (!prediction.isImage() || prediction.getStoredFile() == null) {
			throw new InputRejectedException(HttpStatus.NOT_FOUND, "explanation.none",
					"prediction " + prediction.getId() + " has no photo");
		}
		if (method != null && !METHODS.contains(method)) {
			throw new InputRejectedException(HttpStatus.BAD_REQUEST, "explanation.method-unknown",
					"no map method '" + method + "'", method, METHODS_LISTED);
		}
		Optional<Explanation> kept = kept(prediction.getExplanationJson(), method);
		if (kept.isPresent()) {
			return kept.get();
		}
		ImageModel model = images.model(prediction.getModelName());
		if (!model.sha256().equals(prediction.getModelSha256())) {
			throw new InputRejectedException(HttpStatus.CONFLICT, "explanation.model-changed",
					"model " + model.name() + " changed since prediction " + prediction.getId());
		}
		String wanted = method == null ? methodFor(model) : method;
		if (wanted.equals(HeatMap.CLASS_ACTIVATION) && !model.endsInGlobalPooling()) {
			throw new InputRejectedException(HttpStatus.NOT_FOUND, "explanation.method-unavailable",
					"model " + model.name() + " has no class activation maps");
		}
		Path file = images.storedPhoto(prediction.getStoredFile())
			.orElseThrow(() -> new InputRejectedException(HttpStatus.NOT_FOUND, "explanation.none",
					"the photo of prediction " + prediction.getId() + " is gone"));
		try {
			if (!oneAtATime.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
				throw new InputRejectedException(HttpStatus.SERVICE_UNAVAILABLE, "explanation.busy",
						"another map is being computed");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		try {
			// the same map may have been made for someone else while this request waited
			String keptNow = predictionLog.explanationJson(prediction.getId()).orElse(null);
			Optional<Explanation> madeMeanwhile = kept(keptNow, wanted);
			if (madeMeanwhile.isPresent()) {
				return madeMeanwhile.get();
			}
			if (wanted.equals(HeatMap.CLASS_ACTIVATION) && model.activationMaps(cacheDir).isEmpty()) {
				// built, the maps did not give the model's own answers: occlusion, unless
				// they were asked for by name
				if (method != null) {
					throw new InputRejectedException(HttpStatus.NOT_FOUND, "explanation.method-unavailable",
							"model " + model.name() + " has no class activation maps");
				}
				wanted = HeatMap.OCCLUSION;
			}
			Explanation explanation = compute(prediction, model, Files.readAllBytes(file), wanted);
			List<Explanation> all = new ArrayList<>(all(keptNow));
			all.add(explanation);
			// only this thread computes maps: nobody else changes them meanwhile
			predictionLog.recordExplanation(prediction.getId(), JSON.writeValueAsString(all), keptNow);
			log.info("explanation of prediction {} ({}, {}): {} ms", prediction.getId(), explanation.method(),
					model.name(), explanation.millis());
			return explanation;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			oneAtATime.release();
		}
	}

	/**
	 * The map kept with a prediction: of that method, or, with none asked, the first one
	 * made.
	 */
	private static Optional<Explanation> kept(String json, String method) {
		return all(json).stream().filter(e -> method == null || method.equals(e.method())).findFirst();
	}

	/**
	 * The maps kept, one per method: a list (a single map before there were two methods).
	 */
	private static List<Explanation> all(String json) {
		if (json == null) {
			return List.of();
		}
		JsonNode node = JSON.readTree(json);
		if (!node.isArray()) {
			return List.of(JSON.treeToValue(node, Explanation.class));
		}
		List<Explanation> all = new ArrayList<>();
		node.forEach(one -> all.add(JSON.treeToValue(one, Explanation.class)));
		return all;
	}

	/** The map as a PNG to lay over the part of the photo the model saw. */
	public BufferedImage overlay(Explanation explanation) {
		Region seen = explanation.seen();
		double scale = Math.min(1, 448.0 / Math.max(seen.width, seen.height));
		return explanation.heatMap()
			.overlay(Math.max(1, (int) Math.round(seen.width * scale)),
					Math.max(1, (int) Math.round(seen.height * scale)));
	}

	private Explanation compute(Prediction prediction, ImageModel model, byte[] photo, String method) {
		long start = System.nanoTime();
		var input = model.preprocessor().preprocessing();
		DecodedPhoto decoded = decoder.decodeFor(photo, input);
		float[] tensor = model.preprocessor().toTensor(decoded);
		String label = prediction.getLabel();
		HeatMap map = method.equals(HeatMap.CLASS_ACTIVATION)
				? classActivation(model.activationMaps(cacheDir).orElseThrow(), model, tensor, label)
				: occlusion(model, tensor, label);
		List<List<Double>> values = new ArrayList<>();
		for (int row = 0; row < map.rows(); row++) {
			List<Double> line = new ArrayList<>();
			for (int col = 0; col < map.cols(); col++) {
				// a thousandth of a probability (or of a score) is as fine as a map is
				// read
				line.add(Math.round(map.value(row, col) * 1000) / 1000.0);
			}
			values.add(line);
		}
		Rectangle seen = TensorPreprocessor.seenRegion(decoded.width(), decoded.height(), input);
		return new Explanation(map.method(), label, Math.round(map.probability() * 10000) / 10000.0, map.rows(),
				map.cols(), values, new Region(seen.x, seen.y, seen.width, seen.height),
				(System.nanoTime() - start) / 1_000_000);
	}

	private HeatMap occlusion(ImageModel model, float[] tensor, String label) {
		var input = model.preprocessor().preprocessing();
		BufferedImage grey = new BufferedImage(input.width(), input.height(), BufferedImage.TYPE_INT_RGB);
		Graphics2D g = grey.createGraphics();
		g.setColor(new Color(128, 128, 128));
		g.fillRect(0, 0, input.width(), input.height());
		g.dispose();
		try {
			return OcclusionMap.compute(tensor, model.preprocessor().toTensor(grey), input.height(), input.width(),
					input.color().channels(), CELLS, BATCH, batch -> {
						float[][] scores = model.predictOnOne(batch);
						float[] answered = new float[scores.length];
						for (int i = 0; i < scores.length; i++) {
							answered[i] = model.probabilities(scores[i]).get(label).floatValue();
						}
						return answered;
					});
		}
		catch (TranslateException ex) {
			throw new IllegalStateException("model " + model.name() + " failed to predict for a map", ex);
		}
	}

	/**
	 * A cell's value is what it says for the answer beyond what it says for the classes
	 * on average: the softmax takes only those differences into account.
	 */
	private static HeatMap classActivation(ClassActivationMaps activationMaps, ImageModel model, float[] tensor,
			String label) {
		float[][] maps = activationMaps.maps(tensor);
		int answer = 0;
		while (!model.descriptor().labels().get(answer).id().equals(label)) {
			answer++;
		}
		float[] values = new float[maps[answer].length];
		for (int cell = 0; cell < values.length; cell++) {
			float mean = 0;
			for (float[] classMap : maps) {
				mean += classMap[cell] / maps.length;
			}
			values[cell] = maps[answer][cell] - mean;
		}
		return new HeatMap(HeatMap.CLASS_ACTIVATION, activationMaps.rows(), activationMaps.cols(), values,
				ClassActivationMaps.probabilities(maps)[answer]);
	}

}
