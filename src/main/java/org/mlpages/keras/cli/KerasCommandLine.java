package org.mlpages.keras.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.mlpages.keras.Activations;
import org.mlpages.keras.ImportedModel;
import org.mlpages.keras.KerasImportException;
import org.mlpages.keras.KerasModelImporter;
import org.mlpages.keras.KerasModelInspector;
import org.mlpages.keras.LayerConverters;
import org.mlpages.keras.TensorFlowNatives;
import org.slf4j.LoggerFactory;

/**
 * The jar's command-line mode, without Spring: <pre>
 * inspect MODEL [--arch ARCH.json]
 * describe MODEL [--arch ARCH.json]
 * convert MODEL DIR [--arch ARCH.json]
 * verify  MODEL --input X.npy --expected Y.npy [--arch ARCH.json] [--tolerance 1e-4]
 * </pre> Every command also takes {@code --cache DIR}: where TensorFlow's native
 * libraries are extracted and conversions cached, by default
 * {@code ${user.home}/.cache/mlpages}.
 *
 * <p>
 * Exit codes: 0 success (inspect: every layer supported; verify: within tolerance); 1
 * inspect found unsupported layers, or verify's outputs differ by more than the tolerance
 * or have another shape; 2 the model cannot be loaded or converted (or an input cannot be
 * read); 64 wrong usage.
 */
public final class KerasCommandLine {

	public static final Set<String> COMMANDS = Set.of("inspect", "describe", "convert", "verify");

	public static final int OK = 0;

	public static final int MISMATCH = 1;

	public static final int CANNOT_LOAD = 2;

	public static final int USAGE = 64;

	private static final String USAGE_TEXT = """
			Usage:
			  inspect MODEL [--arch ARCH.json]
			  describe MODEL [--arch ARCH.json]   print a descriptor (MODEL.yml) to complete
			  convert MODEL DIR [--arch ARCH.json]
			  verify  MODEL --input X.npy --expected Y.npy [--arch ARCH.json] [--tolerance 1e-4]
			Options for every command:
			  --cache DIR   native libraries and converted models (default ~/.cache/mlpages)
			MODEL is a Keras model file: a .keras archive (Keras 3) or an HDF5 .h5 (any Keras), told apart
			by their first bytes; or a weights-only file (save_weights(): legacy .h5 or Keras 3 .weights.h5)
			with ARCH.json, what model.to_json() wrote.""";

	private KerasCommandLine() {
	}

	public static boolean isCommand(String[] args) {
		return args != null && args.length > 0 && COMMANDS.contains(args[0]);
	}

	/** Runs one command; never calls System.exit, so tests call it directly. */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		quietLogging();
		Parsed p;
		try {
			p = Parsed.of(args);
		}
		catch (IllegalArgumentException e) {
			err.println(e.getMessage());
			err.println(USAGE_TEXT);
			return USAGE;
		}
		try {
			return switch (p.command) {
				case "inspect" -> inspect(p, out, err);
				case "describe" -> describe(p, out);
				case "convert" -> convert(p, out, err);
				case "verify" -> verify(p, out, err);
				default -> throw new IllegalStateException(p.command);
			};
		}
		catch (KerasImportException e) {
			err.println("Cannot load " + p.file + ": " + e.getMessage());
			return CANNOT_LOAD;
		}
		catch (IOException | UncheckedIOException e) {
			err.println("Cannot load " + p.file + ": " + e);
			return CANNOT_LOAD;
		}
		catch (RuntimeException e) {
			// TensorFlow failures at load or run time: the model could not be used
			err.println("Cannot run " + p.file + ": " + e);
			return CANNOT_LOAD;
		}
	}

	private static int inspect(Parsed p, PrintStream out, PrintStream err) throws IOException {
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

	private static int describe(Parsed p, PrintStream out) throws IOException {
		out.print(DescriptorSkeleton.of(p.file, importModel(p)));
		return OK;
	}

	private static int convert(Parsed p, PrintStream out, PrintStream err) throws IOException {
		Path target = p.positional.get(0);
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

	private static int verify(Parsed p, PrintStream out, PrintStream err) throws IOException {
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
		ImportedModel m = importModel(p);
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

	private static ImportedModel importModel(Parsed p) throws IOException {
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

	/**
	 * jHDF logs every dataset at INFO and Logback's default configuration prints DEBUG to
	 * stdout: in CLI mode only warnings of our own and errors of the libraries are
	 * wanted. Done through Logback's API when Logback is the SLF4J binding (as in the
	 * jar), silently skipped otherwise.
	 */
	private static void quietLogging() {
		if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
			ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
			ctx.getLogger("io.jhdf").setLevel(ch.qos.logback.classic.Level.ERROR);
			ctx.getLogger("ai.djl").setLevel(ch.qos.logback.classic.Level.ERROR);
		}
	}

	/** The command line, checked before anything is loaded. */
	private static final class Parsed {

		String command;

		Path file;

		Path arch;

		Path input;

		Path expected;

		Path cache = Path.of(System.getProperty("user.home"), ".cache", "mlpages");

		double tolerance = 1e-4;

		final List<Path> positional = new ArrayList<>();

		static Parsed of(String[] args) {
			if (args == null || args.length == 0 || !COMMANDS.contains(args[0])) {
				throw new IllegalArgumentException("Expected one of " + COMMANDS);
			}
			Parsed p = new Parsed();
			p.command = args[0];
			Map<String, String> options = new HashMap<>();
			List<String> plain = new ArrayList<>();
			Set<String> known = Set.of("--arch", "--input", "--expected", "--tolerance", "--cache");
			for (int i = 1; i < args.length; i++) {
				String a = args[i];
				if (a.startsWith("--")) {
					String key = a;
					String value;
					int eq = a.indexOf('=');
					if (eq > 0) {
						key = a.substring(0, eq);
						value = a.substring(eq + 1);
					}
					else if (i + 1 < args.length) {
						value = args[++i];
					}
					else {
						throw new IllegalArgumentException("Option " + a + " needs a value");
					}
					if (!known.contains(key)) {
						throw new IllegalArgumentException("Unknown option " + key);
					}
					options.put(key, value);
				}
				else {
					plain.add(a);
				}
			}
			int positionals = "convert".equals(p.command) ? 2 : 1;
			if (plain.size() != positionals) {
				throw new IllegalArgumentException(
						p.command + " takes " + positionals + " file argument(s), got " + plain.size());
			}
			p.file = Path.of(plain.get(0));
			for (int i = 1; i < plain.size(); i++) {
				p.positional.add(Path.of(plain.get(i)));
			}
			if (options.containsKey("--arch")) {
				p.arch = Path.of(options.get("--arch"));
			}
			if (options.containsKey("--cache")) {
				p.cache = Path.of(options.get("--cache"));
			}
			if ("verify".equals(p.command)) {
				if (!options.containsKey("--input") || !options.containsKey("--expected")) {
					throw new IllegalArgumentException("verify needs --input X.npy and --expected Y.npy");
				}
				p.input = Path.of(options.get("--input"));
				p.expected = Path.of(options.get("--expected"));
				if (options.containsKey("--tolerance")) {
					try {
						p.tolerance = Double.parseDouble(options.get("--tolerance"));
					}
					catch (NumberFormatException e) {
						throw new IllegalArgumentException(
								"--tolerance is not a number: " + options.get("--tolerance"));
					}
					if (!(p.tolerance >= 0)) {
						throw new IllegalArgumentException("--tolerance must be a non-negative number");
					}
				}
			}
			else {
				for (String only : List.of("--input", "--expected", "--tolerance")) {
					if (options.containsKey(only)) {
						throw new IllegalArgumentException(only + " is an option of verify only");
					}
				}
			}
			return p;
		}

	}

}
