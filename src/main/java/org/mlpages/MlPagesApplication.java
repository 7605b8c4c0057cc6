package org.mlpages;

import java.io.PrintStream;

import org.mlpages.image.training.TrainImageCommand;
import org.mlpages.keras.cli.KerasCommandLine;
import org.mlpages.tabular.DescribeCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration;
import org.springframework.scheduling.annotation.EnableScheduling;

// sessions go to the database only when it is shared: org.mlpages.cluster.SharedSessions
@SpringBootApplication(exclude = JdbcSessionAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class MlPagesApplication {

	/** What {@link #runCommand} answers when the arguments ask for the site. */
	static final int SERVE = -1;

	static final int WRONG_USAGE = 2;

	static final String USAGE = """
			Usage: java -jar mlpages.jar [--name=value ...]
			         serves the site; settings as --name=value (the README's "Configuration and secrets")
			       java -jar mlpages.jar describe MODEL.onnx
			         a descriptor to complete for a tabular model
			       java -jar mlpages.jar inspect|describe|convert|verify MODEL.h5|MODEL.keras ...
			         the Keras importer (without a model: its own usage)
			       java -jar mlpages.jar train-image --data DIR --base BASE.h5 --out models/NAME.h5 ...
			         a new head on a Keras image model (without options: its own usage)
			""";

	public static void main(String[] args) {
		int exit = runCommand(args, System.out, System.err);
		if (exit != SERVE) {
			System.exit(exit);
		}
		SpringApplication.run(MlPagesApplication.class, args);
	}

	/**
	 * Runs the command the first argument names, without the web server, and returns its
	 * exit status; {@link #SERVE} when there is none (no arguments, or the site's
	 * settings). A word that names no command is a mistake, not a setting: Spring would
	 * ignore it and start the site on port 8080.
	 */
	static int runCommand(String[] args, PrintStream out, PrintStream err) {
		// describe model.onnx: a tabular model's descriptor to complete
		if (DescribeCommand.isCommand(args)) {
			return DescribeCommand.run(args, out, err);
		}
		if (KerasCommandLine.isCommand(args)) {
			return KerasCommandLine.run(args, out, err);
		}
		if (TrainImageCommand.isCommand(args)) {
			return TrainImageCommand.run(args, out, err);
		}
		if (args.length == 0) {
			return SERVE;
		}
		String first = args[0];
		if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
			out.print(USAGE);
			return 0;
		}
		if (first.startsWith("--")) {
			return SERVE;
		}
		if (first.startsWith("-")) {
			// a Java option written after the jar reaches the app, not the JVM
			err.println("Unknown option: " + first + " (Java's own options, such as -D or -X, go before -jar)");
		}
		else {
			err.println("Unknown command: " + first);
		}
		err.print(USAGE);
		return WRONG_USAGE;
	}

}
