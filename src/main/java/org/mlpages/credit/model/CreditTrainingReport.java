package org.mlpages.credit.model;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the side file ({@code .report.json}: what {@link CreditModel#load} needs plus
 * the figures the app shows) and the same figures as Markdown for people. Metrics are
 * rounded to 4 decimals in both, so a re-run with the same data and seed writes identical
 * numbers.
 */
final class CreditTrainingReport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static final String SELECTION_RULE = "Among the candidates that can be explained exactly (linear models), the "
			+ "lowest cross-validated cost at each candidate's own best threshold wins, then the higher mean AUC. "
			+ "Tree ensembles are measured for reference only.";

	private final Path csv;

	private final Path modelFile;

	private final long seed;

	private final int folds;

	private final int csvRows;

	private final CreditTraining.HoldOut holdOut;

	private final int rows;

	private final long good;

	private final CreditSchema schema;

	private final CreditTraining.CandidateResult chosen;

	private final String chosenDescription;

	private final List<CreditTraining.CandidateResult> candidates;

	/**
	 * @param csvRows rows in the CSV
	 * @param holdOut the rows left out
	 * @param labels the labels of the rows used, in order
	 */
	CreditTrainingReport(Path csv, Path modelFile, long seed, int folds, int csvRows, CreditTraining.HoldOut holdOut,
			List<String> labels, CreditSchema schema, CreditTraining.CandidateResult chosen, String chosenDescription,
			List<CreditTraining.CandidateResult> candidates) {
		this.csv = csv;
		this.modelFile = modelFile;
		this.seed = seed;
		this.folds = folds;
		this.csvRows = csvRows;
		this.holdOut = holdOut;
		this.rows = labels.size();
		this.good = labels.stream().filter(CreditData.GOOD::equals).count();
		this.schema = schema;
		this.chosen = chosen;
		this.chosenDescription = chosenDescription;
		this.candidates = candidates;
	}

	private static double r4(double x) {
		return Math.round(x * 10_000) / 10_000.0;
	}

	void writeJson(Path file) throws IOException {
		ObjectNode root = JSON.createObjectNode();
		root.put("format", CreditModel.FORMAT);
		ObjectNode model = root.putObject("model");
		model.put("file", modelFile.getFileName().toString());
		model.put("sha256", CreditModel.sha256Hex(Files.readAllBytes(modelFile)));
		model.put("bytes", Files.size(modelFile));
		root.put("positiveLabel", CreditData.GOOD);
		root.put("threshold", chosen.threshold());
		ObjectNode cost = root.putObject("costMatrix");
		cost.put("grantedBad", BinaryMetrics.COST_GRANTED_BAD);
		cost.put("refusedGood", BinaryMetrics.COST_REFUSED_GOOD);
		ObjectNode data = root.putObject("data");
		data.put("file", csv.getFileName().toString());
		data.put("sha256", CreditModel.sha256Hex(Files.readAllBytes(csv)));
		data.put("csvRows", csvRows);
		// the rows used (cross-validated, then trained on): the CSV's less the held-out
		// ones
		data.put("rows", rows);
		data.put("good", good);
		data.put("bad", rows - good);
		ObjectNode heldOut = data.putObject("heldOut");
		ArrayNode heldOutRows = heldOut.putArray("rows");
		holdOut.rows().forEach(heldOutRows::add);
		heldOut.put("reason", holdOut.reason());
		heldOut.put("rowNumbering", "1 for the first row after the header");
		root.put("seed", seed);
		root.put("folds", folds);
		ArrayNode fields = root.putArray("schema");
		for (CreditField field : schema.fields()) {
			ObjectNode node = fields.addObject();
			node.put("name", field.name());
			node.put("kind", field.kind().name());
			if (field.kind() == CreditField.Kind.CATEGORICAL) {
				ArrayNode categories = node.putArray("categories");
				field.categories().forEach(categories::add);
			}
			else {
				node.put("min", field.min());
				node.put("max", field.max());
				node.put("integer", field.integer());
				node.put("unit", field.unit());
			}
		}
		root.put("selectionRule", SELECTION_RULE);
		ObjectNode chosenNode = candidateNode(chosen);
		chosenNode.put("description", chosenDescription);
		root.set("chosen", chosenNode);
		ArrayNode list = root.putArray("candidates");
		candidates.forEach(c -> list.add(candidateNode(c)));
		ObjectNode baselines = root.putObject("baselines");
		baselines.put("grantAll", BinaryMetrics.COST_GRANTED_BAD * (rows - good));
		baselines.put("refuseAll", BinaryMetrics.COST_REFUSED_GOOD * good);
		Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n",
				StandardCharsets.UTF_8);
	}

	private static ObjectNode candidateNode(CreditTraining.CandidateResult c) {
		ObjectNode node = JSON.createObjectNode();
		node.put("id", c.id());
		node.put("description", c.description());
		node.put("explainable", c.explainable());
		node.put("accuracyMean", r4(c.accuracyMean()));
		node.put("accuracySd", r4(c.accuracySd()));
		node.put("aucMean", r4(c.aucMean()));
		node.put("aucSd", r4(c.aucSd()));
		node.put("pooledAuc", r4(c.pooledAuc()));
		node.put("threshold", c.threshold());
		ObjectNode confusion = node.putObject("confusion");
		confusion.put("goodGranted", c.confusion().goodGranted());
		confusion.put("goodRefused", c.confusion().goodRefused());
		confusion.put("badGranted", c.confusion().badGranted());
		confusion.put("badRefused", c.confusion().badRefused());
		node.put("accuracyAtThreshold", r4(c.confusion().accuracy()));
		node.put("cost", c.cost());
		node.put("costPerApplicant", r4(c.costPerApplicant()));
		node.put("costAtHalf", c.costAtHalf());
		node.put("costAtBayes", c.costAtBayes());
		node.put("costCrossFitted", c.costCrossFitted());
		node.put("foldModelBytes", c.foldModelBytes());
		return node;
	}

	void writeMarkdown(Path file, ModelProvenanceSummary provenance) throws IOException {
		StringBuilder md = new StringBuilder();
		String f4 = "%.4f";
		md.append("# Credit model report\n\n");
		String prefix = modelFile.toString().replaceAll("\\.model$", "");
		md.append("Generated by `java -jar mlpages.jar train-credit --data ")
			.append(csv)
			.append(" --out ")
			.append(prefix)
			.append(" --seed ")
			.append(seed)
			.append(holdOutOptions())
			.append("` (re-run it to reproduce these figures). The same numbers are in `")
			.append(modelFile.getFileName().toString().replaceAll("\\.model$", ".report.json"))
			.append("`, which the app reads (threshold and schema).\n\n");
		md.append("## Data\n\n");
		if (holdOut.isEmpty()) {
			md.append(String.format(Locale.ROOT, "`%s`: %d applicants, %d good, %d bad; SHA-256 `%s`.%n%n",
					csv.getFileName(), rows, good, rows - good, provenance.dataSha256()));
		}
		else {
			md.append(String.format(Locale.ROOT,
					"`%s`: %d applicants; SHA-256 `%s`. **Held out: rows %s** (1 for the first row after the header) "
							+ "— %s. They take no part in the cross-validation, the threshold, the fields' bounds or "
							+ "the final model: the model never saw them. The other %d applicants are used: "
							+ "%d good, %d bad.%n%n",
					csv.getFileName(), csvRows, provenance.dataSha256(),
					String.join(", ", holdOut.rows().stream().map(String::valueOf).toList()), holdOut.reason(), rows,
					good, rows - good));
		}
		md.append(String.format(Locale.ROOT,
				"Cost matrix: granting a bad applicant costs %d, refusing a good one %d. "
						+ "Granting everyone would cost %d, refusing everyone %d.%n%n",
				BinaryMetrics.COST_GRANTED_BAD, BinaryMetrics.COST_REFUSED_GOOD,
				BinaryMetrics.COST_GRANTED_BAD * (rows - good), BinaryMetrics.COST_REFUSED_GOOD * good));
		md.append("## Compared models\n\n");
		md.append(String.format(Locale.ROOT, "Stratified %d-fold cross-validation, seed %d (same folds for every "
				+ "model). Accuracy at P(good) >= 0.5 and AUC are means ± standard deviation over the folds; the "
				+ "threshold is the one (0.01 grid) with the lowest cost on all out-of-fold predictions, and the "
				+ "cost is counted there over all %d rows.%n%n", folds, seed, rows));
		md.append("| model | explainable | accuracy | AUC | pooled AUC | best threshold | cost at threshold | "
				+ "cross-fitted cost | cost at 0.5 | cost at 5/6 | one fold's model file |\n");
		md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (CreditTraining.CandidateResult c : candidates) {
			md.append(String.format(Locale.ROOT,
					"| %s: %s | %s | %.4f ± %.4f | %.4f ± %.4f | %.4f | %.2f | %d (%.4f/applicant) | %d | %d | %d | %s |%n",
					c.id().equals(chosen.id()) ? "**" + c.id() + "**" : c.id(), c.description(),
					c.explainable() ? "yes (linear)" : "no", c.accuracyMean(), c.accuracySd(), c.aucMean(), c.aucSd(),
					c.pooledAuc(), c.threshold(), c.cost(), c.costPerApplicant(), c.costCrossFitted(), c.costAtHalf(),
					c.costAtBayes(), humanBytes(c.foldModelBytes())));
		}
		md.append("\nCross-fitted cost: each fold decided with the threshold that is best on the other nine folds' "
				+ "predictions, a fairer estimate for new applicants than the cost at the threshold tuned on all of "
				+ "them.\n\n");
		md.append(SELECTION_RULE).append("\n\n");
		md.append("## Chosen: ").append(chosen.id()).append("\n\n");
		md.append(chosenDescription).append(".\n\n");
		CreditTraining.CandidateResult best = candidates.stream()
			.min(java.util.Comparator.comparingInt(CreditTraining.CandidateResult::cost))
			.orElse(chosen);
		if (!best.id().equals(chosen.id())) {
			md.append(String.format(Locale.ROOT,
					"The lowest cost overall is %s's (%d against %d, %.1f%% less); it "
							+ "was not chosen because its decisions cannot be explained exactly.%n%n",
					best.id(), best.cost(), chosen.cost(), 100.0 * (chosen.cost() - best.cost()) / chosen.cost()));
		}
		else {
			md.append("It also has the lowest cost of all the candidates compared, the tree ensemble included.\n\n");
		}
		md.append(String.format(Locale.ROOT, "**Decision threshold: grant iff P(good) >= %.2f.** (For calibrated "
				+ "probabilities the cost matrix alone would give 5/6 = 0.833.) Out-of-fold at this threshold:%n%n",
				chosen.threshold()));
		BinaryMetrics.Confusion c = chosen.confusion();
		md.append("| actual \\ decision | granted | refused |\n|---|---|---|\n");
		md.append(String.format(Locale.ROOT, "| good | %d | %d |%n| bad | %d | %d |%n%n", c.goodGranted(),
				c.goodRefused(), c.badGranted(), c.badRefused()));
		md.append(String.format(Locale.ROOT, "Cost %d (%.4f per applicant), accuracy %.4f. The threshold was tuned on "
				+ "these same out-of-fold predictions, so this cost is slightly optimistic; with thresholds chosen "
				+ "without each fold the cost is %d (%.4f per applicant).%n%n", c.cost(), chosen.costPerApplicant(),
				c.accuracy(), chosen.costCrossFitted(), (double) chosen.costCrossFitted() / c.total()));
		md.append("## Final model\n\n");
		md.append(String.format(Locale.ROOT, "Trained on all %d rows used: `%s`, %s, SHA-256 `%s` (see the .json).%n%n",
				provenance.trainingRows(), modelFile.getFileName(), humanBytes(Files.size(modelFile)),
				CreditModel.sha256Hex(Files.readAllBytes(modelFile))));
		md.append("- model: `").append(provenance.modelClass()).append("`\n");
		md.append("- trainer: `").append(provenance.trainerClass()).append("`\n");
		for (Map.Entry<String, String> e : provenance.trainerSettings().entrySet()) {
			md.append("  - ").append(e.getKey()).append(" = ").append(e.getValue()).append("\n");
		}
		md.append("- trained at ")
			.append(provenance.trainedAt())
			.append(" with Tribuo ")
			.append(provenance.tribuoVersion())
			.append("\n\n");
		md.append("## Fields\n\n");
		md.append("Categories are those of the trained model's feature map, exact strings. The ARFF header also "
				+ "declares `purpose=vacation` and `personal_status=female single`; no row has them, the model has no "
				+ "weight for them, and the app refuses them.\n\n");
		md.append("| field | kind | accepted values |\n|---|---|---|\n");
		for (CreditField field : schema.fields()) {
			String values = field.kind() == CreditField.Kind.CATEGORICAL
					? String.join(" · ", field.categories().stream().map(v -> "`" + v + "`").toList())
					: String.format(Locale.ROOT, "%s %s to %s%s", field.integer() ? "whole number" : "number",
							num(field.min()), num(field.max()),
							field.unit().isEmpty() ? "" : " (" + field.unit() + ")");
			md.append("| `")
				.append(field.name())
				.append("` | ")
				.append(field.kind().name().toLowerCase(Locale.ROOT))
				.append(" | ")
				.append(values.replace("|", "\\|"))
				.append(" |\n");
		}
		Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
	}

	/** The command's hold-out options as typed, or "" when nothing was held out. */
	private String holdOutOptions() {
		if (holdOut.isEmpty()) {
			return "";
		}
		String options = " --hold-out " + holdOut.rowList();
		return holdOut.reason().equals(CreditTraining.DEFAULT_HOLD_OUT_REASON) ? options
				: options + " --hold-out-reason \"" + holdOut.reason() + "\"";
	}

	private static String num(double x) {
		return x == Math.rint(x) ? String.valueOf((long) x) : String.format(Locale.ROOT, "%.2f", x);
	}

	private static String humanBytes(long bytes) {
		if (bytes < 1024 * 1024) {
			return String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0);
		}
		return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
	}

}
