package org.mlpages.credit.model;

import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.dataset.DatasetView;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.Transformation;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Trains the credit model ({@code java -jar mlpages.jar train-credit},
 * {@link TrainCreditCommand}): compares candidate models by stratified 10-fold
 * cross-validation on the German credit CSV, picks one, chooses its decision threshold
 * from the out-of-fold predictions, retrains it on all rows and writes
 * {@code <out>.model}, {@code <out>.report.json} (the side file {@link CreditModel#load}
 * reads) and {@code <out>.report.md}.
 *
 * <p>
 * Held-out rows take no part in anything: not the folds, the threshold, the schema's
 * bounds nor the final model. The report and the model's own provenance name them, so an
 * applicant shown as "never seen by the model" can be checked to be one.
 *
 * <p>
 * Reproducible: the folds, the SGD order and the forests' bootstraps all derive from the
 * seed, training is single-threaded, so the same CSV and seed give the same metrics,
 * threshold and weights (the model file itself differs in its provenance timestamps).
 *
 * <p>
 * Selection rule: the served model must be explainable exactly (the app shows why each
 * applicant was granted or refused), which a linear model is; among the linear candidates
 * the lowest cross-validated cost at its own best threshold wins, then the higher AUC.
 * Tree ensembles are measured as a reference, and the report says how much, if anything,
 * that rule gives up.
 */
public final class CreditTraining {

	/** Folds of the cross-validation. */
	public static final int FOLDS = 10;

	/** Default seed of the command. */
	public static final long DEFAULT_SEED = 42L;

	/** Why rows are held out when the command is not told otherwise. */
	public static final String DEFAULT_HOLD_OUT_REASON = "the demo's sample applicants";

	/**
	 * Rows of the CSV left out of training.
	 *
	 * @param rows data row numbers, 1 for the first row after the header (the demo's
	 * {@code row} column counts the same way), ascending, no duplicates
	 * @param reason why, in words, e.g. {@value #DEFAULT_HOLD_OUT_REASON}
	 */
	public record HoldOut(List<Integer> rows, String reason) {

		/** Nothing held out: every row is used. */
		public static final HoldOut NONE = new HoldOut(List.of(), "");

		public HoldOut {
			rows = rows.stream().sorted().distinct().toList();
			if (rows.stream().anyMatch(r -> r < 1)) {
				throw new IllegalArgumentException("held-out rows count from 1 (the first after the header): " + rows);
			}
			if (!rows.isEmpty() && reason.isBlank()) {
				throw new IllegalArgumentException("held-out rows need a reason");
			}
		}

		public boolean isEmpty() {
			return rows.isEmpty();
		}

		/** The rows as the command line takes them: {@code 96,210,325}. */
		String rowList() {
			return String.join(",", rows.stream().map(String::valueOf).toList());
		}

	}

	/**
	 * A model family the command compares. {@code explainable}: linear, so contributions
	 * are exact.
	 */
	record Candidate(String id, String description, boolean explainable, LongFunction<Trainer<Label>> trainer) {
	}

	/**
	 * The cross-validated figures of one candidate.
	 *
	 * @param id short name ({@code logreg}, {@code logreg-slow}, {@code forest})
	 * @param description what it is, in words
	 * @param explainable whether its decisions can be explained exactly (linear)
	 * @param accuracyMean mean over folds of the accuracy at P(good) >= 0.5
	 * @param accuracySd standard deviation of that over folds
	 * @param aucMean mean over folds of the ROC AUC
	 * @param aucSd standard deviation of that over folds
	 * @param pooledAuc ROC AUC of all out-of-fold predictions together
	 * @param threshold the threshold on P(good) with the lowest out-of-fold cost
	 * @param confusion out-of-fold decisions at that threshold
	 * @param costAtHalf out-of-fold cost when granting at P(good) >= 0.5
	 * @param costAtBayes out-of-fold cost when granting at P(good) >= 5/6 (the threshold
	 * for calibrated probabilities)
	 * @param costCrossFitted out-of-fold cost when each fold is decided with the
	 * threshold chosen on the other folds' predictions: an estimate of the cost on new
	 * applicants that, unlike {@link #cost()}, did not see the rows it is counted on when
	 * choosing the threshold
	 * @param foldModelBytes size of one fold's model serialised (indicates the committed
	 * file's size)
	 */
	public record CandidateResult(String id, String description, boolean explainable, double accuracyMean,
			double accuracySd, double aucMean, double aucSd, double pooledAuc, double threshold,
			BinaryMetrics.Confusion confusion, int costAtHalf, int costAtBayes, int costCrossFitted,
			long foldModelBytes) {

		/** Out-of-fold cost at {@link #threshold()}. */
		public int cost() {
			return confusion.cost();
		}

		/** {@link #cost()} per applicant. */
		public double costPerApplicant() {
			return (double) confusion.cost() / confusion.total();
		}
	}

	/**
	 * What a training run produced.
	 *
	 * @param modelFile the written Tribuo model
	 * @param reportJson the side file: schema, threshold, metrics
	 * @param reportMd the human-readable report
	 * @param chosen the chosen candidate's result
	 * @param candidates all candidates' results, in the order measured
	 * @param seed the seed used
	 * @param rows rows used: those of the CSV less the held-out ones
	 * @param holdOut the rows left out
	 */
	public record TrainingResult(Path modelFile, Path reportJson, Path reportMd, CandidateResult chosen,
			List<CandidateResult> candidates, long seed, int rows, HoldOut holdOut) {

		/** The decision threshold on P(good) stored with the model. */
		public double threshold() {
			return chosen.threshold();
		}
	}

	private CreditTraining() {
	}

	/**
	 * The candidates compared by the command. Trainers are built per fold from the seed.
	 */
	static List<Candidate> defaultCandidates() {
		return List.of(
				new Candidate("logreg", "logistic regression (SGD, AdaGrad 1.0, 5 epochs), z-scored numbers", true,
						seed -> logisticRegression(new AdaGrad(1.0, 0.1), 5, seed)),
				new Candidate("logreg-slow", "logistic regression (SGD, AdaGrad 0.1, 20 epochs), z-scored numbers",
						true, seed -> logisticRegression(new AdaGrad(0.1, 0.1), 20, seed)),
				new Candidate("forest", "random forest, 100 CART trees (Gini, 30% of features per split)", false,
						CreditTraining::randomForest));
	}

	/**
	 * Logistic regression on the one-hot categories and the numeric fields z-scored with
	 * the training mean and standard deviation. Without z-scoring the SGD steps are
	 * dominated by credit_amount (up to 18 424 DM) and the fit is unstable across seeds.
	 */
	static Trainer<Label> logisticRegression(AdaGrad optimiser, int epochs, long seed) {
		Map<String, List<Transformation>> perFeature = new LinkedHashMap<>();
		for (CreditData.Column column : CreditData.COLUMNS) {
			if (column.kind() == CreditField.Kind.NUMERIC) {
				perFeature.put(column.name() + "@value", List.of(new MeanStdDevTransformation()));
			}
		}
		LinearSGDTrainer inner = new LinearSGDTrainer(new LogMulticlass(), optimiser, epochs, -1, 1, seed);
		return new TransformTrainer<>(inner, new TransformationMap(List.of(), perFeature));
	}

	/**
	 * Random forest: trees grown fully (min 5 examples per child), 30% of the 61 features
	 * tried per split.
	 */
	static Trainer<Label> randomForest(long seed) {
		CARTClassificationTrainer tree = new CARTClassificationTrainer(Integer.MAX_VALUE, 5f, 0f, 0.3f, false,
				new GiniIndex(), seed);
		return new RandomForestTrainer<>(tree, new FullyWeightedVotingCombiner(), 100, seed);
	}

	/**
	 * Compares the candidates, trains the chosen one on all rows and writes
	 * {@code <outPrefix>.model}, {@code <outPrefix>.report.json} and
	 * {@code <outPrefix>.report.md} (the directory is created if needed).
	 * @param csv the training CSV: the 20 attributes and {@code class} (good/bad), header
	 * line first
	 * @param outPrefix path prefix of the outputs, e.g. {@code models/credit}
	 * @param seed seed of the folds and of the trainers
	 * @param holdOut rows to leave out of everything
	 * @param log progress lines go here
	 * @return the figures and the written files
	 * @throws IOException if the CSV cannot be read or the outputs written
	 * @throws IllegalArgumentException if the CSV does not have the expected columns and
	 * labels, or a held-out row is not in it
	 */
	public static TrainingResult train(Path csv, Path outPrefix, long seed, HoldOut holdOut, PrintWriter log)
			throws IOException {
		return train(csv, outPrefix, seed, holdOut, log, defaultCandidates());
	}

	/**
	 * As {@link #train(Path, Path, long, HoldOut, PrintWriter)} with a chosen list of
	 * candidates (tests use fewer).
	 */
	static TrainingResult train(Path csv, Path outPrefix, long seed, HoldOut holdOut, PrintWriter log,
			List<Candidate> candidates) throws IOException {
		// Tribuo logs every tree and every SGD run at INFO through java.util.logging; the
		// command prints its own
		// summary, so quieten it for the duration of the run and restore the caller's
		// setting afterwards
		Logger tribuoLogger = Logger.getLogger("org.tribuo");
		Level previous = tribuoLogger.getLevel();
		tribuoLogger.setLevel(Level.WARNING);
		try {
			return trainQuietly(csv, outPrefix, seed, holdOut, log, candidates);
		}
		finally {
			tribuoLogger.setLevel(previous);
		}
	}

	private static TrainingResult trainQuietly(Path csv, Path outPrefix, long seed, HoldOut holdOut, PrintWriter log,
			List<Candidate> candidates) throws IOException {
		long start = System.nanoTime();
		MutableDataset<Label> all = CreditData.load(csv);
		Dataset<Label> data = withoutHeldOut(all, holdOut);
		log.printf("%s: %d rows, %d features%n", csv, all.size(), all.getFeatureMap().size());
		if (!holdOut.isEmpty()) {
			log.printf("held out: rows %s (%s); %d rows used%n", holdOut.rowList(), holdOut.reason(), data.size());
		}
		List<String> labels = new ArrayList<>();
		for (Example<Label> example : data) {
			labels.add(example.getOutput().getLabel());
		}
		int[] fold = StratifiedFolds.assign(labels, FOLDS, seed);

		List<CandidateResult> results = new ArrayList<>();
		for (Candidate candidate : candidates) {
			CandidateResult result = crossValidate(candidate, data, labels, fold, seed);
			results.add(result);
			log.printf(
					"%-12s acc %.3f ± %.3f  AUC %.3f ± %.3f  threshold %.2f  cost %d (%.3f/applicant)"
							+ "  [cross-fitted: %d, at 0.5: %d, at 5/6: %d]  fold model %,d bytes%n",
					result.id(), result.accuracyMean(), result.accuracySd(), result.aucMean(), result.aucSd(),
					result.threshold(), result.cost(), result.costPerApplicant(), result.costCrossFitted(),
					result.costAtHalf(), result.costAtBayes(), result.foldModelBytes());
		}
		CandidateResult chosen = results.stream()
			.filter(CandidateResult::explainable)
			.min(Comparator.comparingInt(CandidateResult::cost)
				.thenComparing(Comparator.comparingDouble(CandidateResult::aucMean).reversed()))
			.orElseThrow(() -> new IllegalArgumentException("no explainable candidate"));
		Candidate chosenCandidate = candidates.stream()
			.filter(c -> c.id().equals(chosen.id()))
			.findFirst()
			.orElseThrow();
		log.printf("chosen: %s, threshold %.2f; training on all %d rows used%n", chosen.id(), chosen.threshold(),
				data.size());

		Model<Label> model = chosenCandidate.trainer().apply(seed).train(data);
		CreditSchema schema = schemaOf(model, data);

		Path modelFile = sibling(outPrefix, ".model");
		Path reportJson = sibling(outPrefix, ".report.json");
		Path reportMd = sibling(outPrefix, ".report.md");
		if (modelFile.toAbsolutePath().getParent() != null) {
			Files.createDirectories(modelFile.toAbsolutePath().getParent());
		}
		model.serializeToFile(modelFile);
		// read back through the serving path: a side file that does not fit its model
		// must fail here, not in the app
		CreditTrainingReport report = new CreditTrainingReport(csv, modelFile, seed, FOLDS, all.size(), holdOut, labels,
				schema, chosen, chosenCandidate.description(), results);
		report.writeJson(reportJson);
		CreditModel loaded = CreditModel.load(modelFile, reportJson);
		report.writeMarkdown(reportMd, loaded.provenance());
		log.printf("wrote %s (%,d bytes), %s, %s in %.1f s%n", modelFile, Files.size(modelFile), reportJson, reportMd,
				(System.nanoTime() - start) / 1e9);
		return new TrainingResult(modelFile, reportJson, reportMd, chosen, List.copyOf(results), seed, data.size(),
				holdOut);
	}

	/**
	 * The rows the run may use. A view rather than a copy: the model's provenance then
	 * records the CSV (path, hash) and, in the view's tag, which rows were left out and
	 * why.
	 */
	static Dataset<Label> withoutHeldOut(MutableDataset<Label> all, HoldOut holdOut) {
		if (holdOut.isEmpty()) {
			return all;
		}
		int last = holdOut.rows().get(holdOut.rows().size() - 1);
		if (last > all.size()) {
			throw new IllegalArgumentException(
					"held-out row " + last + " is not in the data, which has " + all.size() + " rows");
		}
		int[] kept = new int[all.size() - holdOut.rows().size()];
		int k = 0;
		for (int i = 0; i < all.size(); i++) {
			if (!holdOut.rows().contains(i + 1)) {
				kept[k++] = i;
			}
		}
		DatasetView<Label> view = new DatasetView<>(all, kept, "held out: rows " + holdOut.rowList() + " ("
				+ holdOut.reason() + "), 1 for the first row after the header");
		// the tag names the few rows left out; the kept indices would only add bytes
		view.setStoreIndices(false);
		return view;
	}

	private static Path sibling(Path prefix, String suffix) {
		return prefix.resolveSibling(prefix.getFileName() + suffix);
	}

	/**
	 * Runs the stratified folds for one candidate and scores the out-of-fold predictions.
	 */
	private static CandidateResult crossValidate(Candidate candidate, Dataset<Label> data, List<String> labels,
			int[] fold, long seed) throws IOException {
		LabelFactory factory = new LabelFactory();
		int n = data.size();
		double[] pGood = new double[n];
		boolean[] isGood = new boolean[n];
		for (int i = 0; i < n; i++) {
			isGood[i] = labels.get(i).equals(CreditData.GOOD);
		}
		double[] accuracy = new double[FOLDS];
		double[] auc = new double[FOLDS];
		long foldModelBytes = 0;
		for (int k = 0; k < FOLDS; k++) {
			MutableDataset<Label> train = new MutableDataset<>(
					new SimpleDataSourceProvenance("credit CV fold " + k + " of " + FOLDS + ", training rows", factory),
					factory);
			List<Integer> test = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				if (fold[i] == k) {
					test.add(i);
				}
				else {
					train.add(data.getExample(i));
				}
			}
			// the same seed in every fold: the folds differ by their data only
			Model<Label> model = candidate.trainer().apply(seed).train(train);
			double[] foldP = new double[test.size()];
			boolean[] foldGood = new boolean[test.size()];
			for (int j = 0; j < test.size(); j++) {
				int row = test.get(j);
				foldP[j] = probabilityGood(model, data.getExample(row));
				foldGood[j] = isGood[row];
				pGood[row] = foldP[j];
			}
			accuracy[k] = BinaryMetrics.confusion(foldP, foldGood, 0.5).accuracy();
			auc[k] = BinaryMetrics.auc(foldP, foldGood);
			if (k == 0) {
				Path tmp = Files.createTempFile("credit-fold", ".model");
				try {
					model.serializeToFile(tmp);
					foldModelBytes = Files.size(tmp);
				}
				finally {
					Files.deleteIfExists(tmp);
				}
			}
		}
		double threshold = BinaryMetrics.bestThreshold(pGood, isGood);
		return new CandidateResult(candidate.id(), candidate.description(), candidate.explainable(), mean(accuracy),
				sd(accuracy), mean(auc), sd(auc), BinaryMetrics.auc(pGood, isGood), threshold,
				BinaryMetrics.confusion(pGood, isGood, threshold), BinaryMetrics.confusion(pGood, isGood, 0.5).cost(),
				BinaryMetrics.confusion(pGood, isGood, BinaryMetrics.BAYES_THRESHOLD).cost(),
				crossFittedCost(pGood, isGood, fold), foldModelBytes);
	}

	/**
	 * The cost when fold k's applicants are decided with the threshold that is best on
	 * the other folds' out-of-fold predictions. Choosing the threshold on all predictions
	 * and counting the cost on the same ones flatters it; this does not.
	 */
	static int crossFittedCost(double[] pGood, boolean[] isGood, int[] fold) {
		int total = 0;
		for (int k = 0; k < FOLDS; k++) {
			int inFold = 0;
			for (int f : fold) {
				if (f == k) {
					inFold++;
				}
			}
			double[] otherP = new double[pGood.length - inFold];
			boolean[] otherGood = new boolean[otherP.length];
			double[] foldP = new double[inFold];
			boolean[] foldGood = new boolean[inFold];
			int o = 0;
			int j = 0;
			for (int i = 0; i < pGood.length; i++) {
				if (fold[i] == k) {
					foldP[j] = pGood[i];
					foldGood[j++] = isGood[i];
				}
				else {
					otherP[o] = pGood[i];
					otherGood[o++] = isGood[i];
				}
			}
			total += BinaryMetrics.confusion(foldP, foldGood, BinaryMetrics.bestThreshold(otherP, otherGood)).cost();
		}
		return total;
	}

	static double probabilityGood(Model<Label> model, Example<Label> example) {
		Label good = model.predict(example).getOutputScores().get(CreditData.GOOD);
		return good == null ? 0.0 : good.getScore();
	}

	private static double mean(double[] values) {
		double sum = 0;
		for (double v : values) {
			sum += v;
		}
		return sum / values.length;
	}

	/** Sample standard deviation (n-1). */
	private static double sd(double[] values) {
		double m = mean(values);
		double sum = 0;
		for (double v : values) {
			sum += (v - m) * (v - m);
		}
		return Math.sqrt(sum / (values.length - 1));
	}

	/** Relative margin added to each side of a numeric field's training range. */
	static final double RANGE_MARGIN = 0.05;

	/**
	 * The form the model needs: categories as in the model's feature map (in the data
	 * set's display order, unknown extras alphabetically after), numeric bounds the
	 * training range ± 5% of it — but never below half the training minimum of a positive
	 * field (a duration of 0 months or an amount of 0 DM is not a credit) and rounded
	 * inwards for whole-number fields (so a 1-4 code stays 1-4); {@link CreditField} then
	 * widens them to round numbers (125 to 19 332 DM becomes 100 to 20 000), which is
	 * what the form shows and the schema accepts.
	 */
	static CreditSchema schemaOf(Model<Label> model, Dataset<Label> data) {
		// categories: the model's own feature map; numeric ranges: the raw rows' (the
		// TransformedModel's feature map holds the z-scored values, and a view's feature
		// map still counts the rows it leaves out)
		ImmutableFeatureMap features = model.getFeatureIDMap();
		List<CreditField> fields = new ArrayList<>();
		for (CreditData.Column column : CreditData.COLUMNS) {
			if (column.kind() == CreditField.Kind.CATEGORICAL) {
				fields.add(CreditField.categorical(column.name(),
						categoriesOf(features, column.name(), column.preferredOrder())));
				continue;
			}
			String featureName = column.name() + "@value";
			double min = Double.POSITIVE_INFINITY;
			double max = Double.NEGATIVE_INFINITY;
			boolean integer = true;
			for (Example<Label> example : data) {
				for (var feature : example) {
					if (feature.getName().equals(featureName)) {
						min = Math.min(min, feature.getValue());
						max = Math.max(max, feature.getValue());
						integer &= feature.getValue() == Math.rint(feature.getValue());
					}
				}
			}
			if (min > max) {
				throw new IllegalStateException("model has no numeric feature " + featureName);
			}
			double margin = RANGE_MARGIN * (max - min);
			double low = min - margin;
			double high = max + margin;
			if (min > 0) {
				low = Math.max(low, min / 2);
			}
			if (integer) {
				low = Math.ceil(low);
				high = Math.floor(high);
			}
			fields.add(CreditField.numeric(column.name(), low, high, integer, column.unit()));
		}
		return new CreditSchema(fields);
	}

	/**
	 * The categories of one field that the model has a feature for, in the preferred
	 * order. Package-private: {@link CreditModel#load} checks the side file's categories
	 * against the same feature map.
	 */
	static List<String> categoriesOf(ImmutableFeatureMap features, String field, List<String> preferredOrder) {
		String prefix = field + "@";
		List<String> present = new ArrayList<>();
		for (VariableInfo info : features) {
			if (info.getName().startsWith(prefix)) {
				present.add(info.getName().substring(prefix.length()));
			}
		}
		List<String> ordered = new ArrayList<>();
		for (String category : preferredOrder) {
			if (present.contains(category)) {
				ordered.add(category);
			}
		}
		present.stream().filter(c -> !ordered.contains(c)).sorted().forEach(ordered::add);
		return ordered;
	}

}
