package org.mlpages.image.training;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mlpages.image.photo.ResizeMode;
import org.mlpages.keras.KerasImportException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The jar's {@code train-image} command, without Spring: a new head on a Keras image
 * model, from one folder of photos per class. Exit codes: 0 trained and written; 1
 * written, but the reloaded .h5 disagrees with the trained model; 2 the photos or the
 * base model cannot be used (the message says why); 64 wrong usage.
 */
@Command(name = "train-image", header = "Trains a new head on a Keras image model from folders of photos.",
		sortOptions = false, exitCodeOnInvalidInput = TrainImageCommand.USAGE,
		description = "Cuts a Keras image model after its last pooling layer, runs every photo through it and fits "
				+ "a softmax head; writes NAME.h5 (base + head), NAME.yml and NAME.report.md.")
public final class TrainImageCommand implements Callable<Integer> {

	public static final int OK = 0;

	public static final int RELOAD_MISMATCH = 1;

	public static final int CANNOT_TRAIN = 2;

	public static final int USAGE = 64;

	@Option(names = "--data", paramLabel = "DIR", required = true,
			description = "one folder of photos per class (cats/, dogs/, ...); sorted names = output order")
	Path data;

	@Option(names = "--base", paramLabel = "FILE.h5", required = true,
			description = "Keras model whose layers up to the cut give the features")
	Path base;

	@Option(names = "--out", paramLabel = "FILE.h5", required = true,
			description = "model to write; NAME.yml and NAME.report.md are written beside it")
	Path out;

	@Option(names = "--validation", paramLabel = "DIR",
			description = "validation photos, same class folders (default: hold out --holdout of --data)")
	Path validation;

	@Option(names = "--holdout", paramLabel = "F",
			description = "fraction of each class held out when there is no --validation (default 0.2)")
	Double holdout;

	@Option(names = "--seed", paramLabel = "N", description = "seed of the split and of SGD (default 42)")
	Long seed;

	@Option(names = "--cut-at", paramLabel = "LAYER",
			description = "cut the base after this layer (default: its last pooling layer)")
	String cutAt;

	@Option(names = "--trainer", paramLabel = "NAME", description = "lbfgs (softmax regression, default) or tribuo-sgd")
	String trainer;

	@Option(names = "--iterations", paramLabel = "N",
			description = "L-BFGS iterations (default 300) or SGD epochs (default 30)")
	Integer iterations;

	@Option(names = "--l2", paramLabel = "X", description = "L2 penalty of the softmax regression (default 1e-3)")
	Double l2;

	@Option(names = "--batch", paramLabel = "N", description = "photos per batch through the base (default 8)")
	Integer batch;

	@Option(names = "--resize", paramLabel = "MODE", description = "center-crop (default) or stretch")
	String resize;

	@Option(names = "--scale", paramLabel = "X",
			description = "pixel value v becomes v * X + Y (default 0.0078431373 and -1: [-1, 1])")
	Float scale;

	@Option(names = "--offset", paramLabel = "Y", description = "see --scale")
	Float offset;

	@Option(names = "--title-en", paramLabel = "T", description = "the descriptor's title in English")
	String titleEn;

	@Option(names = "--title-fr", paramLabel = "T", description = "the descriptor's title in French")
	String titleFr;

	@Option(names = "--label", paramLabel = "FOLDER=ID,EN,FR",
			description = "how a class folder is named in the descriptor, e.g. cats=Cat,Cat,Chat (repeatable)")
	List<String> labels = new ArrayList<>();

	@Option(names = "--base-licence", paramLabel = "TEXT", description = "the base model's licence, for the report")
	String baseLicence;

	@Option(names = "--data-source", paramLabel = "TEXT", description = "where the photos come from, for the report")
	String dataSource;

	@Option(names = "--cache", paramLabel = "DIR",
			description = "TensorFlow native libraries and conversions (default ~/.cache/mlpages)")
	Path cache;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		TrainingRequest request = request();
		PrintWriter out = spec.commandLine().getOut();
		PrintWriter err = spec.commandLine().getErr();
		ConsoleProgress progress = new ConsoleProgress(err);
		TrainingReport report;
		try {
			report = new ImageHeadTrainer().train(request, progress);
		}
		catch (TrainingInputException e) {
			progress.endLine();
			err.println("Cannot train: " + e.getMessage());
			return CANNOT_TRAIN;
		}
		catch (KerasImportException e) {
			progress.endLine();
			err.println("Cannot use the base model " + request.baseModel() + ": " + e.getMessage());
			return CANNOT_TRAIN;
		}
		catch (IOException | UncheckedIOException e) {
			progress.endLine();
			err.println("Cannot train: " + e);
			return CANNOT_TRAIN;
		}
		progress.endLine();
		out.printf(Locale.ROOT, "Validation accuracy: %.1f %% (%d of %d), training accuracy %.1f %%%n",
				100 * report.validationAccuracy(), report.validation().correct(), report.validation().total(),
				100 * report.trainAccuracy());
		out.print(report.validation().toText());
		out.printf(Locale.ROOT, "Features: %d photos in %.1f s (%.1f photos/s); whole run %.1f s%n", report.photos(),
				report.featureSeconds(), report.photosPerSecond(), report.totalTime().toMillis() / 1000.0);
		out.println("Wrote " + report.modelFile() + ", " + report.descriptorFile().getFileName() + ", "
				+ report.reportFile().getFileName());
		if (!report.skipped().isEmpty()) {
			out.println(report.skipped().size() + " file(s) skipped, listed in the report");
		}
		if (report.reloadMaxDifference() > ImageHeadTrainer.RELOAD_TOLERANCE) {
			err.printf(Locale.ROOT, "The written model, reloaded, differs from the trained one by %.3g%n",
					report.reloadMaxDifference());
			return RELOAD_MISMATCH;
		}
		out.printf(Locale.ROOT, "Reloaded through the importer: max difference %.2g%n", report.reloadMaxDifference());
		return OK;
	}

	/** The options as a request, or a usage error that says which one is wrong. */
	TrainingRequest request() {
		TrainingRequest.Builder b = TrainingRequest.builder(data, base, out);
		if (validation != null) {
			b.validation(validation);
		}
		if (holdout != null) {
			b.validationFraction(holdout);
		}
		if (seed != null) {
			b.seed(seed);
		}
		b.cutAt(cutAt);
		if (trainer != null) {
			b.trainer(switch (trainer) {
				case "lbfgs" -> TrainingRequest.HeadTrainer.SOFTMAX_LBFGS;
				case "tribuo-sgd" -> TrainingRequest.HeadTrainer.TRIBUO_SGD;
				default -> throw usage("--trainer is lbfgs or tribuo-sgd");
			});
		}
		if (iterations != null) {
			b.iterations(iterations);
		}
		if (l2 != null) {
			b.l2(l2);
		}
		if (batch != null) {
			b.batchSize(batch);
		}
		if (resize != null) {
			b.resize(switch (resize) {
				case "center-crop" -> ResizeMode.CENTER_CROP;
				case "stretch" -> ResizeMode.STRETCH;
				default -> throw usage("--resize is center-crop or stretch");
			});
		}
		if (scale != null) {
			b.scale(scale);
		}
		if (offset != null) {
			b.offset(offset);
		}
		if (titleEn != null || titleFr != null) {
			b.title(titleEn, titleFr);
		}
		for (String label : labels) {
			int eq = label.indexOf('=');
			String[] parts = eq > 0 ? label.substring(eq + 1).split(",", -1) : new String[0];
			if (parts.length != 3 || parts[0].isBlank()) {
				throw usage("--label is FOLDER=ID,EN,FR, e.g. cats=Cat,Cat,Chat: " + label);
			}
			b.label(label.substring(0, eq),
					new TrainingRequest.LabelText(parts[0].trim(), parts[1].trim(), parts[2].trim()));
		}
		if (cache != null) {
			b.cacheDir(cache);
		}
		b.baseModelLicence(baseLicence);
		b.dataSource(dataSource);
		b.commandLine(commandLine(spec.commandLine().getParseResult().originalArgs().toArray(String[]::new)));
		try {
			return b.build();
		}
		catch (TrainingInputException e) {
			throw usage(e.getMessage());
		}
	}

	private ParameterException usage(String message) {
		return new ParameterException(spec.commandLine(), message);
	}

	/**
	 * The arguments as a shell command, quoted where needed, for the report's "Re-run"
	 * section.
	 */
	static String commandLine(String[] args) {
		StringBuilder sb = new StringBuilder("java -jar mlpages.jar");
		for (String a : args) {
			sb.append(' ');
			sb.append(a.matches("[A-Za-z0-9_./=,:+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
		}
		return sb.toString();
	}

	/**
	 * Stages and warnings as lines, feature extraction as one bar redrawn in place on
	 * stderr.
	 */
	static final class ConsoleProgress implements ProgressListener {

		private final PrintWriter err;

		private boolean onBar;

		ConsoleProgress(PrintWriter err) {
			this.err = err;
		}

		@Override
		public void stage(Stage stage, String message) {
			endLine();
			err.println(message);
		}

		@Override
		public void warning(String message) {
			endLine();
			err.println("warning: " + message);
		}

		@Override
		public void photos(int done, int total, double perSecond, Duration remaining) {
			int width = 30;
			int filled = total == 0 ? width : (int) ((long) done * width / total);
			err.printf(Locale.ROOT, "\r[%s%s] %d/%d photos, %.1f photos/s, %s left   ", "#".repeat(filled),
					".".repeat(width - filled), done, total, perSecond, format(remaining));
			err.flush();
			onBar = true;
		}

		void endLine() {
			if (onBar) {
				err.println();
				onBar = false;
			}
		}

		private static String format(Duration d) {
			long s = Math.max(0, d.toSeconds());
			return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
		}

	}

}
