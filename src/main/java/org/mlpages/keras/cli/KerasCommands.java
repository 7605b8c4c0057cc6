package org.mlpages.keras.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mlpages.keras.Activations;
import org.mlpages.keras.ImportedModel;
import org.mlpages.keras.KerasImportException;
import org.mlpages.keras.KerasModelImporter;
import org.mlpages.keras.KerasModelInspector;
import org.mlpages.keras.LayerConverters;
import org.mlpages.keras.Npy;
import org.mlpages.keras.SavedModelRunner;
import org.mlpages.keras.TensorFlowNatives;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The Keras importer's commands, without Spring: {@code inspect}, {@code describe},
 * {@code convert} and {@code verify}, each with {@code --help}. The jar's
 * {@code org.mlpages.Commands} runs them.
 *
 * <p>
 * Exit codes: 0 success (inspect: every layer supported; verify: within tolerance); 1
 * inspect found unsupported layers, or verify's outputs differ by more than the tolerance
 * or have another shape; 2 the model cannot be loaded or converted (or an input cannot be
 * read); 64 wrong usage.
 */
public final class KerasCommands {

	public static final int OK = 0;

	public static final int MISMATCH = 1;

	public static final int CANNOT_LOAD = 2;

	public static final int USAGE = 64;

	private KerasCommands() {
	}

	/** What every command takes: the model file, its architecture and the cache. */
	public static final class ModelFile {

		@Parameters(index = "0", paramLabel = "MODEL",
				description = "a .keras archive (Keras 3) or an HDF5 .h5 (any Keras), told apart by their first bytes; "
						+ "or weights only (save_weights(): .h5, .weights.h5, .weights.json) with --arch")
		Path file;

		@Option(names = "--arch", paramLabel = "ARCH.json",
				description = "what model.to_json() wrote, for a weights-only file")
		Path arch;

		@Option(names = "--cache", paramLabel = "DIR", defaultValue = "${sys:user.home}/.cache/mlpages",
				description = "TensorFlow's native libraries and the converted models (default ~/.cache/mlpages)")
		Path cache;

		@Spec(Spec.Target.MIXEE)
		CommandSpec command;

		public Path file() {
			return file;
		}

		public Path arch() {
			return arch;
		}

		public Path cache() {
			return cache;
		}

		/** Where the command that mixes this in prints. */
		public PrintWriter out() {
			return command.commandLine().getOut();
		}

		public PrintWriter err() {
			return command.commandLine().getErr();
		}

	}

	/** Runs a command's body and turns the importer's failures into exit status 2. */
	private static int loading(ModelFile model, IoCall body) {
		PrintWriter err = model.err();
		try {
			return body.call();
		}
		catch (KerasImportException e) {
			err.println("Cannot load " + model.file + ": " + e.getMessage());
			return CANNOT_LOAD;
		}
		catch (IOException | UncheckedIOException e) {
			err.println("Cannot load " + model.file + ": " + e);
			return CANNOT_LOAD;
		}
		catch (RuntimeException e) {
			// TensorFlow failures at load or run time: the model could not be used
			err.println("Cannot run " + model.file + ": " + e);
			return CANNOT_LOAD;
		}
	}

	private interface IoCall {

		int call() throws IOException;

	}

	@Command(name = "inspect", header = "Checks that every layer of a Keras model can be served.", sortOptions = false,
			exitCodeOnInvalidInput = USAGE,
			description = "Lists the file's format, Keras version, model kind, input shape, every layer with its settings "
					+ "and whether it is supported. Exit 0 when every layer is, 1 when not, 2 when the file cannot be read.")
	public static final class Inspect implements Callable<Integer> {

		@Mixin
		ModelFile model;

		@Override
		public Integer call() {
			return loading(model, () -> inspect(model, model.out()));
		}

	}

	/**
	 * {@code describe} of a Keras model, for the jar's command that describes every kind.
	 */
	public static int describe(ModelFile model) {
		return loading(model, () -> {
			model.out().print(DescriptorSkeleton.of(model.file, importModel(model)));
			return OK;
		});
	}

	@Command(name = "convert", header = "Writes a Keras model as a TensorFlow SavedModel.", sortOptions = false,
			exitCodeOnInvalidInput = USAGE,
			description = "Writes the model as a TensorFlow SavedModel (signature serving_default) into DIR, "
					+ "which must not exist or be empty.")
	public static final class Convert implements Callable<Integer> {

		@Mixin
		ModelFile model;

		@Parameters(index = "1", paramLabel = "DIR", description = "where the SavedModel is written")
		Path target;

		@Override
		public Integer call() {
			return loading(model, () -> convert(model, target, model.out(), model.err()));
		}

	}

	@Command(name = "verify", header = "Compares the model's answers with what Keras answered.", sortOptions = false,
			exitCodeOnInvalidInput = USAGE,
			description = "Runs the model on a NumPy float32 batch and compares with the expected outputs: "
					+ "the way to prove that Java answers as the notebook did "
					+ "(np.save('x.npy', x); np.save('y.npy', model.predict(x))). "
					+ "Exit 0 within the tolerance, 1 over it or another shape, 2 when a file cannot be read.")
	public static final class Verify implements Callable<Integer> {

		@Mixin
		ModelFile model;

		@Option(names = "--input", paramLabel = "X.npy", required = true, description = "the batch, float32")
		Path input;

		@Option(names = "--expected", paramLabel = "Y.npy", required = true,
				description = "what Keras answered, float32 or float64")
		Path expected;

		@Option(names = "--tolerance", paramLabel = "T", defaultValue = "1e-4",
				description = "the largest absolute difference allowed (default: ${DEFAULT-VALUE})")
		double tolerance;

		@Override
		public Integer call() {
			if (!(tolerance >= 0)) {
				throw new ParameterException(model.command.commandLine(), "--tolerance must be a non-negative number");
			}
			return loading(model, () -> verify(this, model.out(), model.err()));
		}

	}

	private static int inspect(ModelFile p, PrintWriter out) throws IOException {
		KerasModelInspector.Report r = new KerasModelInspector().inspect(p.file, p.arch);
		out.println("File:          " + p.file + (p.arch != null ? " (architecture " + p.arch + ")" : ""));
		out.println("Format:        " + r.format());
		out.println("Keras version: " + r.kerasVersion() + " (read as Keras " + r.kerasMajor() + "), backend "
				+ r.backend());
		out.println("Model kind:    " + r.modelKind());
		out.println("Input shape:   " + (r.inputShape() == null ? "unknown" : shape(r.inputShape())));
		out.println("Layers:");
		int width = r.layers().stream().mapToInt(l -> l.path().length() + l.className().length() + 3).max().orElse(10);
		for (KerasModelInspector.LayerReport l : r.layers()) {
			String head = l.path() + " (" + l.className() + ")";
			out.printf(Locale.ROOT, "  %-" + width + "s %-11s %8d params  %s%n", head,
					l.supported() ? "supported" : "UNSUPPORTED", l.params(), l.settings());
			if (!l.supported()) {
				out.println("      -> " + l.problem());
			}
		}
		out.printf(Locale.ROOT, "Parameters:    %,d%n", r.params());
		if (r.modelProblem() != null) {
			out.println("Model:         UNSUPPORTED: " + r.modelProblem());
		}
		long unsupported = r.layers().stream().filter(l -> !l.supported()).count();
		if (r.supported()) {
			out.println("Verdict:       convertible");
			return OK;
		}
		out.println("Verdict:       not convertible (" + unsupported + " unsupported layer(s))");
		out.println("Supported layer classes: "
				+ String.join(", ", new java.util.TreeSet<>(LayerConverters.defaults().supportedClasses())));
		out.println("Supported activations:   " + String.join(", ", Activations.supported()));
		return MISMATCH;
	}

	private static int convert(ModelFile p, Path target, PrintWriter out, PrintWriter err) throws IOException {
		if (Files.exists(target) && (!Files.isDirectory(target) || hasEntries(target))) {
			err.println(target + " exists and is not an empty directory");
			return USAGE;
		}
		ImportedModel m = importModel(p);
		Files.createDirectories(target);
		copyTree(m.savedModelDir(), target);
		out.println("Wrote the SavedModel of " + p.file.getFileName() + " to " + target);
		out.println("Signature serving_default: input '" + m.inputKey() + "' float32 " + shape(m.inputShape())
				+ ", output '" + m.outputKey() + "' (" + m.outputSize() + " values per example)");
		return OK;
	}

	private static int verify(Verify p, PrintWriter out, PrintWriter err) throws IOException {
		Npy.Array input;
		Npy.Array expected;
		try {
			input = Npy.read(p.input);
			expected = Npy.read(p.expected);
		}
		catch (IOException e) {
			err.println("Cannot read the arrays: " + e.getMessage());
			return CANNOT_LOAD;
		}
		ImportedModel m = importModel(p.model);
		long[] want = m.inputShape();
		if (!fits(want, input.shape())) {
			err.println("Input " + p.input + " has shape " + shape(input.shape()) + ", the model takes " + shape(want));
			return MISMATCH;
		}
		Npy.Array actual;
		try (SavedModelRunner runner = new SavedModelRunner(m)) {
			actual = runner.run(input.shape(), input.floats());
		}
		if (!Arrays.equals(actual.shape(), expected.shape())) {
			out.println(
					"Output shape " + shape(actual.shape()) + " differs from the expected " + shape(expected.shape()));
			return MISMATCH;
		}
		double max = 0;
		int worst = 0;
		for (int i = 0; i < actual.values().length; i++) {
			double d = Math.abs(actual.values()[i] - expected.values()[i]);
			if (d > max || Double.isNaN(d)) {
				max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
				worst = i;
			}
		}
		out.printf(Locale.ROOT, "Output %s, %d values; max abs difference %.3g (at index %d), tolerance %.3g%n",
				shape(actual.shape()), actual.values().length, max, worst, p.tolerance);
		if (max <= p.tolerance) {
			out.println("OK");
			return OK;
		}
		out.println("MISMATCH");
		return MISMATCH;
	}

	private static ImportedModel importModel(ModelFile p) throws IOException {
		// In a JVM that already loaded TensorFlow (tests, or an embedding app) keep those
		// libraries.
		if (System.getProperty("TENSORFLOW_LIBRARY_PATH") == null) {
			TensorFlowNatives.ensureLoaded(p.cache);
		}
		return new KerasModelImporter().importModel(p.file, p.arch, p.cache);
	}

	private static boolean fits(long[] model, long[] given) {
		if (model.length != given.length) {
			return false;
		}
		for (int i = 1; i < model.length; i++) {
			if (model[i] >= 0 && model[i] != given[i]) {
				return false;
			}
		}
		return true;
	}

	private static String shape(long[] s) {
		StringBuilder sb = new StringBuilder("[");
		for (int i = 0; i < s.length; i++) {
			sb.append(i > 0 ? ", " : "").append(s[i] < 0 ? "None" : Long.toString(s[i]));
		}
		return sb.append(']').toString();
	}

	private static boolean hasEntries(Path dir) throws IOException {
		try (var s = Files.list(dir)) {
			return s.findAny().isPresent();
		}
	}

	private static void copyTree(Path from, Path to) throws IOException {
		Files.walkFileTree(from, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
				Files.createDirectories(to.resolve(from.relativize(dir).toString()));
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				Files.copy(file, to.resolve(from.relativize(file).toString()));
				return FileVisitResult.CONTINUE;
			}
		});
	}

}
