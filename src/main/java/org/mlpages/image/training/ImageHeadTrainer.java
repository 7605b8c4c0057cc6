package org.mlpages.image.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.mlpages.image.photo.DecodedPhoto;
import org.mlpages.image.photo.PhotoDecoder;
import org.mlpages.image.photo.PhotoRejectedException;
import org.mlpages.image.photo.Preprocessing;
import org.mlpages.image.photo.TensorPreprocessor;
import org.mlpages.image.training.PhotoFolders.Labelled;
import org.mlpages.image.training.PhotoFolders.Photo;
import org.mlpages.image.training.PhotoFolders.Split;
import org.mlpages.image.training.ProgressListener.Stage;
import org.mlpages.keras.ImportedModel;
import org.mlpages.keras.KerasFeatureExtractor;
import org.mlpages.keras.KerasModelCut;
import org.mlpages.keras.KerasModelImporter;
import org.mlpages.keras.Npy;
import org.mlpages.keras.SavedModelRunner;

/**
 * Trains a new classification head on top of a Keras image model: cuts the base model
 * before its head, turns every photo into a feature vector with it, fits a softmax layer
 * on those vectors, and writes the base plus the new layer as one Keras .h5 with its
 * descriptor ({@code NAME.yml}) and a report ({@code NAME.report.md}). No Spring: the
 * command line ({@link TrainImageCommand}) and, later, the web app call {@link #train}.
 *
 * <p>
 * Photos go through the same {@link PhotoDecoder} and {@link TensorPreprocessor} that
 * serve predictions, with the preprocessing that the written descriptor declares, so the
 * model is trained on what it will see. A file that is not a readable image is skipped
 * with a warning and listed in the report rather than failing the run: folders gathered
 * by hand routinely hold a stray text file or a broken download, and one such file should
 * not cost a whole run. A class left without any usable photo is refused.
 */
public final class ImageHeadTrainer {

	/**
	 * Probabilities of the reloaded .h5 and of the in-memory model may differ by float32
	 * rounding only.
	 */
	public static final double RELOAD_TOLERANCE = 1e-5;

	private static final int RELOAD_PHOTOS = 8;

	private static final String HEAD_LAYER = "trained_head";

	private final PhotoDecoder decoder = new PhotoDecoder();

	/**
	 * Runs the whole training and writes the model, descriptor and report.
	 * @throws TrainingInputException if the photos or options cannot make a model
	 * (nothing is written)
	 * @throws TrainingCancelledException if the listener cancelled (nothing is written)
	 * @throws IOException if the base model or photos cannot be read, or the output
	 * cannot be written
	 */
	public TrainingReport train(TrainingRequest request, ProgressListener listener) throws IOException {
		long start = System.nanoTime();
		SkippedFiles progress = new SkippedFiles(listener);

		progress.stage(Stage.READING_PHOTOS, "Reading the photo folders");
		SplitPhotos split = split(request, progress);
		List<String> classes = split.photos().train().classes();

		progress.stage(Stage.READING_BASE_MODEL, "Reading the base model " + request.baseModel().getFileName());
		try (KerasModelCut cut = KerasModelCut.open(request.baseModel(), request.cutAt());
				KerasFeatureExtractor extractor = cut.openExtractor(request.cacheDir())) {
			long[] shape = extractor.inputShape();
			if (shape.length != 4 || shape[3] != 3) {
				throw new TrainingInputException("The base model takes " + java.util.Arrays.toString(shape)
						+ ", not RGB images (batch, height, width, 3)");
			}
			Preprocessing preprocessing = new Preprocessing(request.resize(), (int) shape[2], (int) shape[1],
					request.scale(), request.offset());

			List<Photo> photos = new ArrayList<>(split.photos().train().photos());
			photos.addAll(split.photos().validation().photos());
			int trainCount = split.photos().train().photos().size();
			progress.stage(Stage.EXTRACTING_FEATURES, "Extracting features of " + photos.size() + " photos with "
					+ cut.file().getFileName() + " cut after " + cut.cutLayer());
			long featureStart = System.nanoTime();
			Extracted extracted = extract(photos, trainCount, extractor, new TensorPreprocessor(preprocessing),
					request.batchSize(), progress);
			double featureSeconds = (System.nanoTime() - featureStart) / 1e9;

			Features train = extracted.subset(photos, 0, trainCount, extractor.featureSize());
			Features validation = extracted.subset(photos, trainCount, photos.size(), extractor.featureSize());
			int[] trainCounts = counts(train.labels(), classes.size());
			int[] validationCounts = counts(validation.labels(), classes.size());
			requireAPhotoOfEachClass(classes, trainCounts, validationCounts);

			progress.stage(Stage.TRAINING_HEAD, "Training the head on " + train.size() + " feature vectors");
			FittedHead fitted = fitHead(request, train, classes, progress);
			if (progress.isCancelled()) {
				throw new TrainingCancelledException();
			}
			LinearHead head = fitted.head();
			double trainAccuracy = evaluate(head, train, classes).accuracy();
			ConfusionMatrix matrix = evaluate(head, validation, classes);

			progress.stage(Stage.WRITING, "Writing " + request.output().getFileName());
			Path out = request.output().toAbsolutePath();
			String headLayer = cut.writeWithDenseHead(out, HEAD_LAYER, head.kernel(), head.bias(), "softmax");
			Path descriptor = sibling(out, ".yml");
			writeAtomically(descriptor,
					DescriptorWriter.yaml(request, classes, preprocessing, matrix.accuracy(), train.size()));

			progress.stage(Stage.CHECKING_RELOAD, "Checking that the written model loads and agrees");
			double reload = reloadDifference(out, request.cacheDir(), extracted, head, extractor.inputSize(),
					extractor.featureSize(), shape);

			Path reportFile = sibling(out, ".report.md");
			TrainingReport report = new TrainingReport(request.name(), classes, trainCounts, validationCounts,
					split.source(), request.seed(), fitted.trainer(), fitted.detail(), trainAccuracy, matrix,
					request.baseModel(), request.baseModelLicence(), cut.cutLayer(), extractor.featureSize(), headLayer,
					extracted.processed, featureSeconds, extracted.processed / featureSeconds,
					Duration.ofNanos(System.nanoTime() - start), reload, progress.skipped(), out, descriptor,
					reportFile, request.dataSource(), request.commandLine());
			writeAtomically(reportFile, report.toMarkdown());
			return report;
		}
	}

	/** The photos of each class, split into training and validation, and how. */
	private record SplitPhotos(Split photos, String source) {
	}

	private static SplitPhotos split(TrainingRequest request, ProgressListener progress) throws IOException {
		Labelled all = PhotoFolders.scan(request.data(), progress);
		if (request.validation() != null) {
			Labelled validation = PhotoFolders.scan(request.validation(), progress);
			if (!validation.classes().equals(all.classes())) {
				throw new TrainingInputException("The validation folder's classes " + validation.classes()
						+ " differ from the training folder's " + all.classes());
			}
			return new SplitPhotos(new Split(all, validation),
					"the separate folder `" + request.validation().getFileName() + "`");
		}
		return new SplitPhotos(PhotoFolders.stratifiedSplit(all, request.validationFraction(), request.seed()),
				String.format(Locale.ROOT,
						"a stratified split of the training folder, %.0f %% of each class held out (seed %d)",
						100 * request.validationFraction(), request.seed()));
	}

	/** Photos that could not be read leave a class empty only if all of them failed. */
	private static void requireAPhotoOfEachClass(List<String> classes, int[] trainCounts, int[] validationCounts) {
		for (int c = 0; c < classes.size(); c++) {
			if (trainCounts[c] == 0 || validationCounts[c] == 0) {
				throw new TrainingInputException("no-usable-photo",
						"The class " + classes.get(c) + " has no usable photo for "
								+ (trainCounts[c] == 0 ? "training" : "validation") + " (see the skipped files)",
						classes.get(c));
			}
		}
	}

	/** The head, and how it was fitted, in the report's words. */
	private record FittedHead(LinearHead head, String trainer, String detail) {
	}

	private static FittedHead fitHead(TrainingRequest request, Features train, List<String> classes,
			ProgressListener progress) {
		if (request.trainer() == TrainingRequest.HeadTrainer.TRIBUO_SGD) {
			return new FittedHead(new TribuoSgdHead(request.iterations(), request.seed()).fit(train, classes),
					"Tribuo linear SGD (logistic loss, AdaGrad 0.1)",
					request.iterations() + " epochs, standardised features");
		}
		SoftmaxRegression.Fit fit = new SoftmaxRegression(request.l2(), request.iterations()).fit(train, classes.size(),
				progress::isCancelled);
		return new FittedHead(fit.head(), "softmax regression, full-batch L-BFGS",
				String.format(Locale.ROOT, "L2 %.0e, %d iterations, final loss %.4f, standardised features",
						request.l2(), fit.iterations(), fit.loss()));
	}

	/** Passes everything on, and keeps each warning (a file skipped) for the report. */
	private static final class SkippedFiles implements ProgressListener {

		private final ProgressListener listener;

		private final List<String> skipped = new ArrayList<>();

		SkippedFiles(ProgressListener listener) {
			this.listener = listener;
		}

		List<String> skipped() {
			return skipped;
		}

		@Override
		public void stage(Stage stage, String message) {
			listener.stage(stage, message);
		}

		@Override
		public void photos(int done, int total, double perSecond, Duration remaining) {
			listener.photos(done, total, perSecond, remaining);
		}

		@Override
		public void warning(String message) {
			skipped.add(message);
			listener.warning(message);
		}

		@Override
		public boolean isCancelled() {
			return listener.isCancelled();
		}

	}

	/**
	 * Features of every usable photo, and the inputs of a few validation photos for the
	 * reload check.
	 */
	private static final class Extracted {

		final float[] features;

		final boolean[] usable;

		final List<float[]> checkInputs = new ArrayList<>();

		final List<Integer> checkRows = new ArrayList<>();

		int processed;

		Extracted(int photos, int dimension) {
			features = new float[photos * dimension];
			usable = new boolean[photos];
		}

		Features subset(List<Photo> photos, int from, int to, int d) {
			List<Integer> rows = new ArrayList<>();
			for (int i = from; i < to; i++) {
				if (usable[i]) {
					rows.add(i);
				}
			}
			float[] values = new float[rows.size() * d];
			int[] labels = new int[rows.size()];
			List<String> files = new ArrayList<>();
			for (int r = 0; r < rows.size(); r++) {
				int i = rows.get(r);
				System.arraycopy(features, i * d, values, r * d, d);
				labels[r] = photos.get(i).label();
				files.add(photos.get(i).file().toString());
			}
			return new Features(values, d, labels, files);
		}

	}

	/**
	 * Decodes and preprocesses the next batch on two threads while TensorFlow runs the
	 * current one: decoding a JPEG costs about as much as the network's forward pass, so
	 * overlapping them nearly halves the time.
	 */
	private Extracted extract(List<Photo> photos, int trainCount, KerasFeatureExtractor extractor,
			TensorPreprocessor preprocessor, int batchSize, ProgressListener progress) throws IOException {
		int n = photos.size();
		int d = extractor.featureSize();
		int size = extractor.inputSize();
		Extracted result = new Extracted(n, d);
		ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()),
				r -> {
					Thread t = new Thread(r, "photo-decoder");
					t.setDaemon(true);
					return t;
				});
		long start = System.nanoTime();
		try {
			int batches = (n + batchSize - 1) / batchSize;
			Batch next = submit(photos, 0, Math.min(batchSize, n), size, preprocessor, pool);
			for (int b = 0; b < batches; b++) {
				if (progress.isCancelled()) {
					throw new TrainingCancelledException();
				}
				Batch current = next;
				int from = (b + 1) * batchSize;
				next = b + 1 < batches ? submit(photos, from, Math.min(from + batchSize, n), size, preprocessor, pool)
						: null;
				current.await();
				int[] rows = new int[current.count];
				int ok = 0;
				for (int i = 0; i < current.count; i++) {
					int row = current.from + i;
					if (current.rejections[i] != null) {
						Photo p = photos.get(row);
						progress.warning(p.file().getParent().getFileName() + "/" + p.file().getFileName()
								+ " skipped: " + current.rejections[i]);
						continue;
					}
					if (ok != i) {
						System.arraycopy(current.input, i * size, current.input, ok * size, size);
					}
					if (row >= trainCount && result.checkInputs.size() < RELOAD_PHOTOS) {
						result.checkInputs.add(java.util.Arrays.copyOfRange(current.input, ok * size, (ok + 1) * size));
						result.checkRows.add(row);
					}
					rows[ok++] = row;
				}
				if (ok > 0) {
					float[] f = extractor.extract(current.input, ok);
					for (int i = 0; i < ok; i++) {
						System.arraycopy(f, i * d, result.features, rows[i] * d, d);
						result.usable[rows[i]] = true;
					}
				}
				result.processed = current.from + current.count;
				double seconds = (System.nanoTime() - start) / 1e9;
				double rate = result.processed / Math.max(seconds, 1e-9);
				progress.photos(result.processed, n, rate,
						Duration.ofMillis((long) ((n - result.processed) / rate * 1000)));
			}
		}
		finally {
			pool.shutdownNow();
		}
		return result;
	}

	/**
	 * One batch being decoded: each photo is its own task, writing into its slot of
	 * {@code input}.
	 */
	private static final class Batch {

		final int from;

		final int count;

		final float[] input;

		final String[] rejections;

		final CompletableFuture<?>[] tasks;

		Batch(int from, int count, int size) {
			this.from = from;
			this.count = count;
			this.input = new float[count * size];
			this.rejections = new String[count];
			this.tasks = new CompletableFuture<?>[count];
		}

		void await() throws IOException {
			try {
				CompletableFuture.allOf(tasks).get();
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new TrainingCancelledException();
			}
			catch (ExecutionException e) {
				if (e.getCause() instanceof IOException io) {
					throw io;
				}
				throw new IllegalStateException("Decoding a photo failed: " + e.getCause(), e.getCause());
			}
		}

	}

	private Batch submit(List<Photo> photos, int from, int to, int size, TensorPreprocessor preprocessor,
			ExecutorService pool) {
		Batch batch = new Batch(from, to - from, size);
		for (int i = 0; i < batch.count; i++) {
			final int slot = i;
			Path file = photos.get(from + i).file();
			batch.tasks[i] = CompletableFuture.runAsync(() -> {
				try {
					DecodedPhoto photo = decoder.decode(Files.readAllBytes(file));
					preprocessor.writeInto(photo, batch.input, slot * size);
				}
				catch (PhotoRejectedException e) {
					batch.rejections[slot] = describe(e);
				}
				catch (IOException e) {
					batch.rejections[slot] = "cannot be read (" + e.getMessage() + ")";
				}
			}, pool);
		}
		return batch;
	}

	private static String describe(PhotoRejectedException e) {
		return switch (e.reason()) {
			case EMPTY -> "empty file";
			case NOT_AN_IMAGE -> "not an image";
			case UNSUPPORTED_FORMAT -> "unsupported image format " + e.format();
			case CORRUPT -> "corrupt or truncated image";
			case TOO_MANY_PIXELS -> "too large (" + e.declaredWidth() + "x" + e.declaredHeight() + ")";
			case TOO_SMALL -> "too small (" + e.declaredWidth() + "x" + e.declaredHeight() + ")";
		};
	}

	/**
	 * Imports the written .h5 as the app would and runs it on the kept validation inputs:
	 * the largest difference from the in-memory model (base features through the head, in
	 * double).
	 */
	private static double reloadDifference(Path h5, Path cacheDir, Extracted extracted, LinearHead head, int inputSize,
			int featureSize, long[] inputShape) throws IOException {
		if (extracted.checkInputs.isEmpty()) {
			return Double.NaN;
		}
		ImportedModel model = new KerasModelImporter().importModel(h5, cacheDir);
		int n = extracted.checkInputs.size();
		float[] inputs = new float[n * inputSize];
		for (int i = 0; i < n; i++) {
			System.arraycopy(extracted.checkInputs.get(i), 0, inputs, i * inputSize, inputSize);
		}
		long[] shape = inputShape.clone();
		shape[0] = n;
		Npy.Array out;
		try (SavedModelRunner runner = new SavedModelRunner(model)) {
			out = runner.run(shape, inputs);
		}
		double max = 0;
		int k = head.classes();
		for (int i = 0; i < n; i++) {
			double[] expected = head.probabilities(extracted.features, extracted.checkRows.get(i) * featureSize);
			for (int c = 0; c < k; c++) {
				max = Math.max(max, Math.abs(out.values()[i * k + c] - expected[c]));
			}
		}
		return max;
	}

	static ConfusionMatrix evaluate(LinearHead head, Features data, List<String> classes) {
		int[] predicted = new int[data.size()];
		for (int i = 0; i < data.size(); i++) {
			predicted[i] = head.predict(data.values(), i * data.dimension());
		}
		return ConfusionMatrix.of(classes, data.labels(), predicted);
	}

	private static int[] counts(int[] labels, int classes) {
		int[] c = new int[classes];
		for (int l : labels) {
			c[l]++;
		}
		return c;
	}

	static Path sibling(Path h5, String suffix) {
		String name = h5.getFileName().toString();
		return h5.resolveSibling(name.substring(0, name.length() - ".h5".length()) + suffix);
	}

	private static void writeAtomically(Path file, String text) throws IOException {
		Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
		try {
			Files.writeString(tmp, text, StandardCharsets.UTF_8);
			// temp files are created owner-only; the descriptor and report are read by
			// whoever serves the model
			if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
				Files.setPosixFilePermissions(tmp,
						java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
			}
			Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}

}
