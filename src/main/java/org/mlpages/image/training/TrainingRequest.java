package org.mlpages.image.training;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.mlpages.image.photo.ResizeMode;

/**
 * What to train. Build with {@link #builder(Path, Path, Path)}; every option has a
 * default.
 *
 * @param data one sub-folder of photos per class
 * @param validation the same classes for validation, or null to hold out
 * {@code validationFraction} of {@code data}, class by class, with {@code seed}
 * @param baseModel Keras .h5 whose layers up to {@code cutAt} give the features
 * @param output the .h5 to write; {@code NAME.yml} and {@code NAME.report.md} go beside
 * it
 * @param cutAt leaf layer to cut after, or null for the base's last pooling layer
 * @param trainer how the head is fitted
 * @param iterations L-BFGS iterations at most ({@link HeadTrainer#SOFTMAX_LBFGS}) or SGD
 * epochs ({@link HeadTrainer#TRIBUO_SGD})
 * @param l2 L2 penalty of the softmax regression
 * @param batchSize photos per TensorFlow run
 * @param resize how photos are fitted to the base's input size
 * @param scale pixel scale (x * scale + offset), 1/127.5 for MobileNet's [-1, 1]
 * @param offset pixel offset
 * @param titleEn descriptor title, English
 * @param titleFr descriptor title, French (null: the English one)
 * @param labelNames display names per class folder: folder name -> {id, en, fr}; missing
 * folders use the folder name for all three
 * @param cacheDir TensorFlow's native libraries (and the reload check's conversion)
 * @param baseModelLicence one line for the report, e.g. "MIT,
 * nasser0111/Cat_Dog_Image_Classifier"
 * @param dataSource one line for the report: where the photos come from and under which
 * licence
 * @param commandLine the command that re-runs this training, for the report (null: not
 * shown)
 */
public record TrainingRequest(Path data, Path validation, Path baseModel, Path output, String cutAt, long seed,
		double validationFraction, HeadTrainer trainer, int iterations, double l2, int batchSize, ResizeMode resize,
		float scale, float offset, String titleEn, String titleFr, Map<String, LabelText> labelNames, Path cacheDir,
		String baseModelLicence, String dataSource, String commandLine) {

	/** How the head is fitted. */
	public enum HeadTrainer {

		/** {@link SoftmaxRegression}: full-batch L-BFGS in plain Java (the default). */
		SOFTMAX_LBFGS,
		/** {@link TribuoSgdHead}: Tribuo's linear SGD with AdaGrad, for comparison. */
		TRIBUO_SGD

	}

	/**
	 * How one class is shown: its id in the descriptor and its English and French names.
	 */
	public record LabelText(String id, String en, String fr) {
	}

	public TrainingRequest {
		Objects.requireNonNull(data, "data");
		Objects.requireNonNull(baseModel, "baseModel");
		Objects.requireNonNull(output, "output");
		Objects.requireNonNull(trainer, "trainer");
		Objects.requireNonNull(resize, "resize");
		Objects.requireNonNull(cacheDir, "cacheDir");
		labelNames = Map.copyOf(labelNames);
		if (!output.getFileName().toString().endsWith(".h5")) {
			throw new TrainingInputException("The output file must end in .h5: " + output);
		}
		if (iterations < 1 || batchSize < 1) {
			throw new TrainingInputException("iterations and batch size must be positive");
		}
	}

	/** The model's name: the output file name without .h5. */
	public String name() {
		String f = output.getFileName().toString();
		return f.substring(0, f.length() - ".h5".length());
	}

	public static Builder builder(Path data, Path baseModel, Path output) {
		return new Builder(data, baseModel, output);
	}

	/**
	 * Defaults: seeded split of 20 %, seed 42, L-BFGS (300 iterations, l2 1e-3), batches
	 * of 8, MobileNet input.
	 */
	public static final class Builder {

		private final Path data;

		private final Path baseModel;

		private final Path output;

		private Path validation;

		private String cutAt;

		private long seed = 42;

		private double validationFraction = 0.2;

		private HeadTrainer trainer = HeadTrainer.SOFTMAX_LBFGS;

		private Integer iterations;

		private double l2 = 1e-3;

		private int batchSize = 8;

		private ResizeMode resize = ResizeMode.CENTER_CROP;

		private float scale = 1f / 127.5f;

		private float offset = -1f;

		private String titleEn;

		private String titleFr;

		private final Map<String, LabelText> labelNames = new LinkedHashMap<>();

		private Path cacheDir = Path.of(System.getProperty("user.home"), ".cache", "mlpages");

		private String baseModelLicence;

		private String dataSource;

		private String commandLine;

		private Builder(Path data, Path baseModel, Path output) {
			this.data = data;
			this.baseModel = baseModel;
			this.output = output;
		}

		public Builder validation(Path v) {
			this.validation = v;
			return this;
		}

		public Builder cutAt(String layer) {
			this.cutAt = layer;
			return this;
		}

		public Builder seed(long s) {
			this.seed = s;
			return this;
		}

		public Builder validationFraction(double f) {
			this.validationFraction = f;
			return this;
		}

		public Builder trainer(HeadTrainer t) {
			this.trainer = t;
			return this;
		}

		public Builder iterations(int n) {
			this.iterations = n;
			return this;
		}

		public Builder l2(double v) {
			this.l2 = v;
			return this;
		}

		public Builder batchSize(int n) {
			this.batchSize = n;
			return this;
		}

		public Builder resize(ResizeMode m) {
			this.resize = m;
			return this;
		}

		public Builder scale(float s) {
			this.scale = s;
			return this;
		}

		public Builder offset(float o) {
			this.offset = o;
			return this;
		}

		public Builder title(String en, String fr) {
			this.titleEn = en;
			this.titleFr = fr;
			return this;
		}

		public Builder label(String folder, LabelText text) {
			labelNames.put(folder, text);
			return this;
		}

		public Builder cacheDir(Path dir) {
			this.cacheDir = dir;
			return this;
		}

		public Builder baseModelLicence(String s) {
			this.baseModelLicence = s;
			return this;
		}

		public Builder dataSource(String s) {
			this.dataSource = s;
			return this;
		}

		public Builder commandLine(String s) {
			this.commandLine = s;
			return this;
		}

		public TrainingRequest build() {
			int its = iterations != null ? iterations : trainer == HeadTrainer.SOFTMAX_LBFGS ? 300 : 30;
			return new TrainingRequest(data, validation, baseModel, output, cutAt, seed, validationFraction, trainer,
					its, l2, batchSize, resize, scale, offset, titleEn, titleFr, labelNames, cacheDir, baseModelLicence,
					dataSource, commandLine);
		}

	}
}
