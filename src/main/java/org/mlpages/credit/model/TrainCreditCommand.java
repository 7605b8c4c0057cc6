package org.mlpages.credit.model;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.mlpages.credit.model.CreditTraining.HoldOut;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The jar's {@code train-credit} command: retrains the credit model from the German
 * Credit CSV, as {@code models/credit.report.md} says it was made. Exit codes: 0 trained
 * and written; 2 the CSV cannot be used (the message says why); 64 wrong usage.
 */
@Command(name = "train-credit", header = "Retrains the credit model from the German Credit CSV.", sortOptions = false,
		exitCodeOnInvalidInput = TrainCreditCommand.USAGE,
		description = "Compares the candidate models by cross-validation, trains the chosen one on every row and "
				+ "writes PREFIX.model, PREFIX.report.json and PREFIX.report.md.")
public final class TrainCreditCommand implements Callable<Integer> {

	static final int OK = 0;

	static final int CANNOT_TRAIN = 2;

	static final int USAGE = 64;

	@Option(names = "--data", paramLabel = "CSV", required = true,
			description = "the 20 attributes and class (good/bad), header first: data/credit/credit-g.csv")
	Path data;

	@Option(names = "--out", paramLabel = "PREFIX", required = true, description = "e.g. models/credit")
	Path out;

	@Option(names = "--seed", paramLabel = "N", defaultValue = "" + CreditTraining.DEFAULT_SEED,
			description = "seed of the folds and of the trainers (default: ${DEFAULT-VALUE})")
	long seed;

	@Option(names = "--hold-out", paramLabel = "ROWS", split = "\\s*,\\s*", splitSynopsisLabel = ",",
			description = "rows of the CSV left out of everything, from 1 after the header: 23,96,210")
	List<Integer> holdOut = List.of();

	@Option(names = "--hold-out-reason", paramLabel = "TEXT", defaultValue = CreditTraining.DEFAULT_HOLD_OUT_REASON,
			description = "why, for the report (default: ${DEFAULT-VALUE})")
	String holdOutReason;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		PrintWriter log = spec.commandLine().getOut();
		HoldOut rows;
		try {
			rows = holdOut.isEmpty() ? HoldOut.NONE : new HoldOut(holdOut, holdOutReason);
		}
		catch (IllegalArgumentException e) {
			throw new ParameterException(spec.commandLine(), e.getMessage());
		}
		try {
			CreditTraining.TrainingResult result = CreditTraining.train(data, out, seed, rows, log);
			log.printf(Locale.ROOT, "chosen %s, threshold %.2f, written %s%n", result.chosen().id(), result.threshold(),
					result.modelFile());
			return OK;
		}
		catch (IOException | IllegalArgumentException e) {
			spec.commandLine().getErr().println("Cannot train: " + e.getMessage());
			return CANNOT_TRAIN;
		}
	}

}
