package org.mlpages;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.mlpages.credit.model.TrainCreditCommand;
import org.mlpages.image.training.TrainImageCommand;
import org.mlpages.keras.cli.KerasCommands;
import org.mlpages.onnx.OnnxClassifier;
import org.mlpages.onnx.OnnxModelException;
import org.mlpages.tabular.TabularDescriptorSkeleton;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine.Spec;

/**
 * What {@code java -jar mlpages.jar WORD ...} does instead of serving the site: the
 * importer's, the trainers' and the descriptors' commands, parsed by picocli, each with
 * {@code --help}. A first word that names no command is a mistake, not a setting: Spring
 * would ignore it and start the site on port 8080.
 */
@Command(name = "java -jar mlpages.jar", sortOptions = false,
		customSynopsis = { "java -jar mlpages.jar [--name=value ...]",
				"         serves the site; settings as --name=value (the README's \"Configuration and secrets\")",
				"       java -jar mlpages.jar COMMAND [--help | ARGUMENTS]", "" },
		subcommands = { KerasCommands.Inspect.class, Commands.Describe.class, KerasCommands.Convert.class,
				KerasCommands.Verify.class, TrainImageCommand.class, TrainCreditCommand.class, Commands.Help.class },
		commandListHeading = "Commands:%n",
		footer = { "", "Exit status: 0 done; 1 inspect found unsupported layers, verify a difference, train-image a "
				+ "reloaded model that disagrees; 2 a file cannot be used, or no such command; 64 wrong usage of a "
				+ "command." })
public final class Commands {

	/** What {@link #run} answers when the arguments ask for the site. */
	public static final int SERVE = -1;

	static final int UNKNOWN = 2;

	// every command answers --help
	@Option(names = { "-h", "--help" }, usageHelp = true, scope = ScopeType.INHERIT, description = "this help")
	boolean help;

	private Commands() {
	}

	/**
	 * Runs the command the first argument names, without the web server, and returns its
	 * exit status; {@link #SERVE} when there is none (no arguments, or the site's
	 * settings). Never calls System.exit, so tests call it directly.
	 */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		if (args.length == 0 || (args[0].startsWith("--") && !args[0].equals("--help"))) {
			return SERVE;
		}
		String first = args[0];
		PrintWriter errWriter = writer(err);
		if (first.startsWith("-") && !first.equals("-h") && !first.equals("--help")) {
			// a Java option written after the jar reaches the app, not the JVM
			errWriter.println("Unknown option: " + first + " (Java's own options, such as -D or -X, go before -jar)");
			errWriter.print(commandLine(out, err).getUsageMessage());
			errWriter.flush();
			return UNKNOWN;
		}
		quietLogging();
		CommandLine commands = commandLine(out, err);
		int status = commands.execute(args);
		commands.getOut().flush();
		commands.getErr().flush();
		return status;
	}

	private static CommandLine commandLine(PrintStream out, PrintStream err) {
		CommandLine commands = new CommandLine(new Commands());
		// wide enough for the synopsis and for file names not to break at their dot
		commands.setUsageHelpWidth(110);
		commands.setOut(writer(out));
		commands.setErr(writer(err));
		commands.setParameterExceptionHandler(Commands::wrongUsage);
		return commands;
	}

	/**
	 * What was wrong, the nearest command or option when it looks like a typo, and the
	 * usage of the command concerned (picocli prints no usage after a suggestion).
	 */
	private static int wrongUsage(ParameterException ex, String[] args) {
		CommandLine command = ex.getCommandLine();
		PrintWriter err = command.getErr();
		if (command.getParent() == null && ex instanceof UnmatchedArgumentException unmatched
				&& !unmatched.getUnmatched().isEmpty()) {
			err.println("Unknown command: " + unmatched.getUnmatched().get(0));
		}
		else {
			err.println(ex.getMessage());
		}
		UnmatchedArgumentException.printSuggestions(ex, err);
		err.print(command.getUsageMessage());
		return command.getCommandSpec().exitCodeOnInvalidInput();
	}

	private static PrintWriter writer(PrintStream stream) {
		return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
	}

	/**
	 * jHDF logs every dataset at INFO and Logback's default configuration prints DEBUG to
	 * stdout: in a command only warnings of our own and errors of the libraries are
	 * wanted (Tribuo logs through java.util.logging, which the credit trainer quietens).
	 * Done through Logback's API when Logback is the SLF4J binding (as in the jar),
	 * silently skipped otherwise.
	 */
	private static void quietLogging() {
		if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
			ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
			ctx.getLogger("io.jhdf").setLevel(ch.qos.logback.classic.Level.ERROR);
			ctx.getLogger("ai.djl").setLevel(ch.qos.logback.classic.Level.ERROR);
		}
	}

	/**
	 * {@code describe}: a Keras model's descriptor, or a tabular model's when the file is
	 * an {@code .onnx}.
	 */
	@Command(name = "describe", header = "Prints the descriptor (MODEL.yml) of a Keras or ONNX model, to complete.",
			sortOptions = false, exitCodeOnInvalidInput = KerasCommands.USAGE,
			description = "Prints the descriptor (MODEL.yml) to complete: what the model says of itself filled in, "
					+ "TODO where only the data person knows. MODEL is a Keras model or a tabular model in ONNX "
					+ "(MODEL.onnx, the README's \"Adding a tabular model\").")
	static final class Describe implements Callable<Integer> {

		@Mixin
		KerasCommands.ModelFile model;

		@Override
		public Integer call() {
			if (!model.file().getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
				return KerasCommands.describe(model);
			}
			PrintWriter out = model.out();
			PrintWriter err = model.err();
			if (!Files.isRegularFile(model.file())) {
				err.println("Cannot load " + model.file() + ": no such file");
				return KerasCommands.CANNOT_LOAD;
			}
			try (OnnxClassifier onnx = OnnxClassifier.open(model.file())) {
				out.print(TabularDescriptorSkeleton.of(model.file(), onnx));
				return KerasCommands.OK;
			}
			catch (OnnxModelException | IOException ex) {
				err.println("Cannot load " + model.file() + ": " + ex.getMessage());
				return KerasCommands.CANNOT_LOAD;
			}
			catch (RuntimeException | LinkageError ex) {
				// ONNX Runtime's natives: the jar carries linux-x64's only
				err.println("Cannot run ONNX Runtime on this machine (the jar carries its linux-x64 libraries): " + ex);
				return KerasCommands.CANNOT_LOAD;
			}
		}

	}

	/**
	 * {@code help} and {@code help COMMAND}: picocli's own help command brings a second
	 * {@code -h}, which clashes with the one every command inherits.
	 */
	@Command(name = "help", helpCommand = true, description = "this list, or a command's help: help COMMAND")
	static final class Help implements Runnable {

		@Parameters(paramLabel = "COMMAND", arity = "0..1", description = "the command to explain")
		String command;

		@Spec
		CommandSpec spec;

		@Override
		public void run() {
			CommandLine commands = spec.parent().commandLine();
			if (command == null) {
				commands.usage(commands.getOut());
				return;
			}
			CommandLine named = commands.getSubcommands().get(command);
			if (named == null) {
				throw new ParameterException(spec.commandLine(), "Unknown command: " + command);
			}
			named.usage(commands.getOut());
		}

	}

}
