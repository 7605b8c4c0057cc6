package org.mlpages.keras;

import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.mlpages.keras.ModelDefinition.LayerDef;
import org.mlpages.keras.ModelDefinition.Ref;
import tools.jackson.databind.JsonNode;

/**
 * Class activation maps (Zhou et al., "Learning Deep Features for Discriminative
 * Localization", 2016) of a Keras model that ends in {@code GlobalAveragePooling2D}
 * followed by one {@code Dense} layer, the shape of most transfer-learned image
 * classifiers (MobileNet, EfficientNet, ResNet with a new head).
 * <p>
 * Such a model's score for a class is the average, over the last feature map's cells, of
 * what each cell says for that class: {@code sum_k A[cell][k] * kernel[k][class] + bias}.
 * That per-cell sum is the map. It needs the feature map, so the model is built a second
 * time, cut before its pooling ({@link KerasModelCut}), with the Dense layer's weights
 * read from the same file: one forward pass, no gradients.
 * <p>
 * Keras 2 / tf.keras .h5 files only, as {@link KerasModelCut}. Not thread-safe.
 */
public final class ClassActivationMaps implements AutoCloseable {

	private static final Set<String> LINEAR_OR_SOFTMAX = Set.of("linear", "softmax");

	private final KerasFeatureExtractor features;

	private final String featureLayer;

	private final String activation;

	/** [channels][classes], Keras's Dense kernel layout. */
	private final float[][] kernel;

	private final float[] bias;

	private final int rows;

	private final int cols;

	private ClassActivationMaps(KerasFeatureExtractor features, String featureLayer, String activation,
			float[][] kernel, float[] bias) {
		this.features = features;
		this.featureLayer = featureLayer;
		this.activation = activation;
		this.kernel = kernel;
		this.bias = bias;
		long[] shape = features.outputShape();
		this.rows = (int) shape[1];
		this.cols = (int) shape[2];
	}

	/**
	 * Builds the maps of {@code modelFile}; empty when the model does not end in global
	 * average pooling then a linear or softmax Dense layer, or is not a Keras 2 .h5 file.
	 * @param cacheRoot where TensorFlow's native libraries are, or go
	 */
	public static Optional<ClassActivationMaps> open(Path modelFile, Path cacheRoot) throws IOException {
		Optional<Tail> found = readTail(modelFile);
		if (found.isEmpty()) {
			return Optional.empty();
		}
		Tail tail = found.get();
		try (KerasModelCut cut = KerasModelCut.open(modelFile, tail.cutAt())) {
			KerasFeatureExtractor extractor = cut.openFeatureMaps(cacheRoot);
			long channels = extractor.outputShape()[3];
			if (tail.kernel().rank() != 2 || tail.kernel().dim(0) != channels) {
				extractor.close();
				throw new KerasImportException("The Dense layer after the pooling takes " + tail.kernel().dim(0)
						+ " features, the layer before it gives " + channels);
			}
			int classes = (int) tail.kernel().dim(1);
			float[][] kernel = new float[(int) channels][classes];
			float[] data = tail.kernel().data();
			for (int k = 0; k < channels; k++) {
				System.arraycopy(data, k * classes, kernel[k], 0, classes);
			}
			float[] bias = tail.bias() == null ? new float[classes] : tail.bias().data().clone();
			return Optional.of(new ClassActivationMaps(extractor, tail.cutAt(),
					tail.dense().leaf().layer().string("activation", "linear"), kernel, bias));
		}
	}

	/**
	 * Whether {@code modelFile} ends as class activation maps need, read from its config
	 * alone: nothing is built.
	 */
	public static boolean fits(Path modelFile) throws IOException {
		return readTail(modelFile).isPresent();
	}

	private static Optional<Tail> readTail(Path modelFile) throws IOException {
		if (!modelFile.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".h5")) {
			return Optional.empty();
		}
		if (!java.nio.file.Files.isRegularFile(modelFile)) {
			throw new java.nio.file.NoSuchFileException(modelFile.toString());
		}
		try (KerasH5File h5 = KerasH5File.open(modelFile)) {
			if (!h5.hasModelConfig()) {
				return Optional.empty();
			}
			JsonNode config = KerasModelFile.parseJson(h5.modelConfigJson(), "model_config");
			ModelDefinition model = ModelDefinition.parse(config,
					ModelDefinition.kerasMajor(h5.kerasVersion(), config));
			if (model.kerasMajor() >= 3) {
				return Optional.empty();
			}
			Optional<Tail> tail = tail(model);
			if (tail.isEmpty()) {
				return tail;
			}
			LayerWeights dense = h5.weightsFor(tail.get().dense());
			Weight kernel = dense.require("kernel");
			if (kernel.rank() != 2 || kernel.dim(1) < 2) {
				// one unit (a sigmoid's logit) says one class against the rest: no map
				// per class
				return Optional.empty();
			}
			return Optional.of(tail.get().withWeights(kernel, dense.optional("bias").orElse(null)));
		}
		catch (HdfException ex) {
			throw new KerasImportException("Cannot read " + modelFile.getFileName() + ": " + ex.getMessage(), ex);
		}
	}

	/** The layer whose output the maps are made of: the one before the pooling. */
	public String featureLayer() {
		return featureLayer;
	}

	/** The Dense layer's activation: {@code softmax} or {@code linear}. */
	public String activation() {
		return activation;
	}

	public int rows() {
		return rows;
	}

	public int cols() {
		return cols;
	}

	public int classes() {
		return bias.length;
	}

	/** Floats in one input image, as the model takes it (height x width x channels). */
	public int inputSize() {
		return features.inputSize();
	}

	/**
	 * The map of every class for one image: {@code [class][row * cols + col]}, what each
	 * cell of the feature map adds to the class's score before the activation. A class's
	 * map averages to its score.
	 */
	public float[][] maps(float[] image) {
		float[] a = features.extract(image, 1);
		int channels = kernel.length;
		float[][] maps = new float[bias.length][rows * cols];
		for (int cell = 0; cell < rows * cols; cell++) {
			for (int c = 0; c < bias.length; c++) {
				float sum = bias[c];
				for (int k = 0; k < channels; k++) {
					sum += a[cell * channels + k] * kernel[k][c];
				}
				maps[c][cell] = sum;
			}
		}
		return maps;
	}

	/** Each class's score before the activation: its map's mean. */
	public static float[] scores(float[][] maps) {
		float[] scores = new float[maps.length];
		for (int c = 0; c < maps.length; c++) {
			double sum = 0;
			for (float v : maps[c]) {
				sum += v;
			}
			scores[c] = (float) (sum / maps[c].length);
		}
		return scores;
	}

	/**
	 * The probabilities the model gives, from the maps: the softmax of their means
	 * (softmax or logits alike).
	 */
	public static float[] probabilities(float[][] maps) {
		float[] scores = scores(maps);
		float max = Float.NEGATIVE_INFINITY;
		for (float score : scores) {
			max = Math.max(max, score);
		}
		double sum = 0;
		double[] exp = new double[scores.length];
		for (int c = 0; c < scores.length; c++) {
			exp[c] = Math.exp(scores[c] - max);
			sum += exp[c];
		}
		float[] probabilities = new float[scores.length];
		for (int c = 0; c < scores.length; c++) {
			probabilities[c] = (float) (exp[c] / sum);
		}
		return probabilities;
	}

	@Override
	public void close() {
		features.close();
	}

	/**
	 * The model's last computing layers: the Dense layer, where it sits, and the layer to
	 * cut at (what feeds the pooling).
	 */
	record Tail(LayerPath dense, String cutAt, Weight kernel, Weight bias) {

		Tail withWeights(Weight kernel, Weight bias) {
			return new Tail(dense, cutAt, kernel, bias);
		}

	}

	static Optional<Tail> tail(ModelDefinition model) {
		List<LayerPath> leaves = new ArrayList<>();
		collect(null, model, leaves);
		List<LayerPath> computing = leaves.stream()
			.filter(p -> !p.leaf().isInput() && !ModelGraphBuilder.computesNothing(p.leaf().className()))
			.toList();
		if (computing.size() < 3) {
			return Optional.empty();
		}
		LayerPath dense = computing.get(computing.size() - 1);
		LayerPath pooling = computing.get(computing.size() - 2);
		KerasLayer denseLayer = dense.leaf().layer();
		KerasLayer poolingLayer = pooling.leaf().layer();
		if (!"Dense".equals(denseLayer.className())
				|| !LINEAR_OR_SOFTMAX.contains(denseLayer.string("activation", "linear"))
				|| !"GlobalAveragePooling2D".equals(poolingLayer.className()) || poolingLayer.bool("keepdims", false)
				|| !"channels_last".equals(poolingLayer.string("data_format", "channels_last"))) {
			return Optional.empty();
		}
		// the Dense layer takes the pooling's output: in a Functional model it names the
		// pooling, or the nested model that ends with it
		Set<String> poolingOutputs = new java.util.HashSet<>();
		pooling.steps().forEach(step -> poolingOutputs.add(step.layer().name()));
		List<List<Ref>> denseInbound = dense.leaf().inboundNodes();
		if (denseInbound != null && !denseInbound.isEmpty()
				&& !denseInbound.get(0).stream().allMatch(ref -> poolingOutputs.contains(ref.layer()))) {
			return Optional.empty();
		}
		// in a Functional model the pooling names its input; in a Sequential one it is
		// the leaf before it (the last leaf of a nested model before it)
		String cutAt = computing.get(computing.size() - 3).leaf().name();
		List<List<Ref>> inbound = pooling.leaf().inboundNodes();
		if (inbound != null && inbound.size() == 1 && inbound.get(0).size() == 1) {
			String input = inbound.get(0).get(0).layer();
			if (leaves.stream().anyMatch(p -> p.leaf().name().equals(input) && !p.leaf().isInput())) {
				cutAt = input;
			}
		}
		return Optional.of(new Tail(dense, cutAt, null, null));
	}

	private static void collect(LayerPath parent, ModelDefinition container, List<LayerPath> out) {
		for (LayerDef def : container.layers()) {
			LayerPath path = LayerPath.of(parent, container, def);
			if (def.nested() != null) {
				collect(path, def.nested(), out);
			}
			else {
				out.add(path);
			}
		}
	}

}
