package org.mlpages.image.training;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mlpages.image.photo.ResizeMode;
import org.mlpages.keras.KerasImportException;
import org.slf4j.LoggerFactory;

/**
 * The jar's {@code train-image} mode, without Spring: <pre>
 * train-image --data DIR --base BASE.h5 --out models/NAME.h5 [options]
 * </pre> Exit codes: 0 trained and written; 1 written, but the reloaded .h5 disagrees
 * with the trained model; 2 the photos or the base model cannot be used (the message says
 * why); 64 wrong usage.
 */
public final class TrainImageCommand {

	public static final String COMMAND = "train-image";

	public static final int OK = 0;

	public static final int RELOAD_MISMATCH = 1;

	public static final int CANNOT_TRAIN = 2;

	public static final int USAGE = 64;

	static final String USAGE_TEXT = """
			Usage: train-image --data DIR --base BASE.h5 --out models/NAME.h5 [options]
			  --data DIR          one folder of photos per class (cats/, dogs/, ...); sorted names = output order
			  --base FILE.h5      Keras model whose layers up to the cut give the features
			  --out FILE.h5       model to write; NAME.yml and NAME.report.md are written beside it
			Options:
			  --validation DIR    validation photos, same class folders (default: hold out --holdout of --data)
			  --holdout F         fraction of each class held out when there is no --validation (default 0.2)
			  --seed N            seed of the split and of SGD (default 42)
			  --cut-at LAYER      cut the base after this layer (default: its last pooling layer)
			  --trainer NAME      lbfgs (softmax regression, default) or tribuo-sgd
			  --iterations N      L-BFGS iterations (default 300) or SGD epochs (default 30)
			  --l2 X              L2 penalty of the softmax regression (default 1e-3)
			  --batch N           photos per batch through the base (default 8)
			  --resize MODE       center-crop (default) or stretch
			  --scale X --offset Y   pixel value v becomes v * X + Y (default 0.0078431373 and -1: [-1, 1])
			  --title-en T --title-fr T   the descriptor's title
			  --label FOLDER=ID,EN,FR     how a class folder is named in the descriptor (repeatable)
			  --base-licence TEXT --data-source TEXT   lines for the report
			  --cache DIR         TensorFlow native libraries and conversions (default ~/.cache/mlpages)""";

	private static final Set<String> OPTIONS = Set.of("--data", "--base", "--out", "--validation", "--holdout",
			"--seed", "--cut-at", "--trainer", "--iterations", "--l2", "--batch", "--resize", "--scale", "--offset",
			"--title-en", "--title-fr", "--label", "--base-licence", "--data-source", "--cache");

	private TrainImageCommand() {
	}

	public static boolean isCommand(String[] args) {
		return args != null && args.length > 0 && COMMAND.equals(args[0]);
	}

	/** Runs the command; never calls System.exit, so tests call it directly. */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		quietLogging();
		TrainingRequest request;
		try {
			request = parse(args);
		}
		catch (IllegalArgumentException | TrainingInputException e) {
			err.println(e.getMessage());
			err.println(USAGE_TEXT);
			return USAGE;
		}
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

	static TrainingRequest parse(String[] args) {
		if (!isCommand(args)) {
			throw new IllegalArgumentException("Expected " + COMMAND);
		}
		java.util.Map<String, String> options = new java.util.HashMap<>();
		List<String> labels = new ArrayList<>();
		for (int i = 1; i < args.length; i++) {
			String key = args[i];
			String value;
			int eq = key.indexOf('=');
			if (key.startsWith("--") && eq > 0) {
				value = key.substring(eq + 1);
				key = key.substring(0, eq);
			}
			else if (i + 1 < args.length) {
				value = args[++i];
			}
			else {
				throw new IllegalArgumentException("Option " + key + " needs a value");
			}
			if (!OPTIONS.contains(key)) {
				throw new IllegalArgumentException("Unknown option " + key);
			}
			if (key.equals("--label")) {
				labels.add(value);
			}
			else {
				options.put(key, value);
			}
		}
		for (String required : List.of("--data", "--base", "--out")) {
			if (!options.containsKey(required)) {
				throw new IllegalArgumentException(COMMAND + " needs " + required);
			}
		}
		TrainingRequest.Builder b = TrainingRequest.builder(Path.of(options.get("--data")),
				Path.of(options.get("--base")), Path.of(options.get("--out")));
		if (options.containsKey("--validation")) {
			b.validation(Path.of(options.get("--validation")));
		}
		if (options.containsKey("--holdout")) {
			b.validationFraction(number(options, "--holdout"));
		}
		if (options.containsKey("--seed")) {
			b.seed((long) integer(options, "--seed"));
		}
		b.cutAt(options.get("--cut-at"));
		if (options.containsKey("--trainer")) {
			b.trainer(switch (options.get("--trainer")) {
				case "lbfgs" -> TrainingRequest.HeadTrainer.SOFTMAX_LBFGS;
				case "tribuo-sgd" -> TrainingRequest.HeadTrainer.TRIBUO_SGD;
				default -> throw new IllegalArgumentException("--trainer is lbfgs or tribuo-sgd");
			});
		}
		if (options.containsKey("--iterations")) {
			b.iterations((int) integer(options, "--iterations"));
		}
		if (options.containsKey("--l2")) {
			b.l2(number(options, "--l2"));
		}
		if (options.containsKey("--batch")) {
			b.batchSize((int) integer(options, "--batch"));
		}
		if (options.containsKey("--resize")) {
			b.resize(switch (options.get("--resize")) {
				case "center-crop" -> ResizeMode.CENTER_CROP;
				case "stretch" -> ResizeMode.STRETCH;
				default -> throw new IllegalArgumentException("--resize is center-crop or stretch");
			});
		}
		if (options.containsKey("--scale")) {
			b.scale((float) number(options, "--scale"));
		}
		if (options.containsKey("--offset")) {
			b.offset((float) number(options, "--offset"));
		}
		if (options.containsKey("--title-en") || options.containsKey("--title-fr")) {
			b.title(options.get("--title-en"), options.get("--title-fr"));
		}
		for (String label : labels) {
			int eq = label.indexOf('=');
			String[] parts = eq > 0 ? label.substring(eq + 1).split(",", -1) : new String[0];
			if (parts.length != 3 || parts[0].isBlank()) {
				throw new IllegalArgumentException("--label is FOLDER=ID,EN,FR, e.g. cats=Cat,Cat,Chat: " + label);
			}
			b.label(label.substring(0, eq),
					new TrainingRequest.LabelText(parts[0].trim(), parts[1].trim(), parts[2].trim()));
		}
		if (options.containsKey("--cache")) {
			b.cacheDir(Path.of(options.get("--cache")));
		}
		b.baseModelLicence(options.get("--base-licence"));
		b.dataSource(options.get("--data-source"));
		b.commandLine(commandLine(args));
		return b.build();
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

	private static double number(java.util.Map<String, String> options, String key) {
		try {
			return Double.parseDouble(options.get(key));
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException(key + " is not a number: " + options.get(key));
		}
	}

	private static long integer(java.util.Map<String, String> options, String key) {
		try {
			return Long.parseLong(options.get(key));
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException(key + " is not an integer: " + options.get(key));
		}
	}

	/**
	 * As in the Keras command line: only warnings of our own and errors of the libraries.
	 */
	private static void quietLogging() {
		if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
			ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
			ctx.getLogger("io.jhdf").setLevel(ch.qos.logback.classic.Level.ERROR);
			ctx.getLogger("ai.djl").setLevel(ch.qos.logback.classic.Level.ERROR);
		}
	}

	/**
	 * Stages and warnings as lines, feature extraction as one bar redrawn in place on
	 * stderr.
	 */
	static final class ConsoleProgress implements ProgressListener {

		private final PrintStream err;

		private boolean onBar;

		ConsoleProgress(PrintStream err) {
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
