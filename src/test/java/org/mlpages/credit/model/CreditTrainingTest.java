package org.mlpages.credit.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.transform.TransformedModel;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The training command: reproducible, stratified, cost-driven, and strict about its
 * input.
 */
class CreditTrainingTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Only the committed model's candidate: the forest's 10 folds take tens of seconds.
	 */
	private static List<CreditTraining.Candidate> chosenOnly() {
		return CreditTraining.defaultCandidates().stream().filter(c -> c.id().equals("logreg-slow")).toList();
	}

	@Test
	void retrainingWithTheSeedReproducesTheCommittedModelAndReport(@TempDir Path dir) throws IOException {
		JsonNode committed = JSON.readTree(Files.readString(CreditFixtures.SIDE));
		// the committed model's own hold-out, so that this test follows it when the
		// demo's applicants change
		ModelProvenanceSummary shipped = CreditFixtures.model().provenance();
		CreditTraining.HoldOut holdOut = new CreditTraining.HoldOut(shipped.heldOutRows(), shipped.heldOutReason());
		assertThat(holdOut.rows()).as("the demo's applicants are held out").isNotEmpty();
		ByteArrayOutputStream log = new ByteArrayOutputStream();
		CreditTraining.TrainingResult result = CreditTraining.train(CreditFixtures.CSV, dir.resolve("credit"), 42L,
				holdOut, new PrintWriter(new OutputStreamWriter(log, StandardCharsets.UTF_8), true), chosenOnly());

		JsonNode fresh = JSON.readTree(Files.readString(result.reportJson()));
		JsonNode committedCandidate = null;
		for (JsonNode c : committed.path("candidates")) {
			if (c.path("id").asString().equals("logreg-slow")) {
				committedCandidate = c;
			}
		}
		// every figure equal; not the fold model's byte count, which moves with the
		// provenance timestamps' digits
		assertThat(withoutSize(fresh.path("candidates").get(0))).isEqualTo(withoutSize(committedCandidate));
		assertThat(fresh.path("threshold")).isEqualTo(committed.path("threshold"));
		assertThat(fresh.path("schema")).isEqualTo(committed.path("schema"));
		assertThat(fresh.path("data")).isEqualTo(committed.path("data"));

		CreditModel retrained = CreditModel.load(result.modelFile(), result.reportJson());
		assertThat(innerWeights(retrained)).isEqualTo(innerWeights(CreditFixtures.model()));
		assertThat(retrained.decide(CreditFixtures.applicant()))
			.isEqualTo(CreditFixtures.model().decide(CreditFixtures.applicant()));
		assertThat(result.modelFile()).hasFileName("credit.model");
		assertThat(result.reportMd()).content()
			.contains("| **logreg-slow**", "grant iff P(good) >= 0.88", "**Held out: rows 23, 96, 210**");
		assertThat(log.toString(StandardCharsets.UTF_8)).contains("chosen: logreg-slow");
	}

	private static JsonNode withoutSize(JsonNode candidate) {
		ObjectNode copy = ((ObjectNode) candidate).deepCopy();
		copy.remove("foldModelBytes");
		return copy;
	}

	private static Object innerWeights(CreditModel model) {
		return ((LinearSGDModel) ((TransformedModel<?>) model.tribuoModel()).getInnerModel()).getWeightsCopy();
	}

	@Test
	void heldOutRowsCountFromTheFirstAfterTheHeaderAndMustExist() throws IOException {
		var all = CreditData.load(CreditFixtures.CSV);
		CreditTraining.HoldOut holdOut = new CreditTraining.HoldOut(List.of(3, 1, 3), "a reason");
		assertThat(holdOut.rows()).containsExactly(1, 3);

		var used = CreditTraining.withoutHeldOut(all, holdOut);
		assertThat(used.size()).isEqualTo(all.size() - 2);
		assertThat(used.getExample(0)).isSameAs(all.getExample(1));
		assertThat(used.getExample(1)).isSameAs(all.getExample(3));
		assertThat(used.getProvenance().toString()).contains("held out: rows 1,3 (a reason)");
		assertThatThrownBy(() -> CreditTraining.withoutHeldOut(all, new CreditTraining.HoldOut(List.of(1001), "x")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("1001");
		assertThatThrownBy(() -> new CreditTraining.HoldOut(List.of(0), "x"))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new CreditTraining.HoldOut(List.of(5), " "))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void foldsAreStratifiedAndFollowTheSeed() {
		List<String> labels = new ArrayList<>();
		labels.addAll(Collections.nCopies(700, "good"));
		labels.addAll(Collections.nCopies(300, "bad"));
		int[] folds = StratifiedFolds.assign(labels, 10, 42L);
		for (int k = 0; k < 10; k++) {
			int good = 0;
			int bad = 0;
			for (int i = 0; i < folds.length; i++) {
				if (folds[i] == k) {
					if (labels.get(i).equals("good")) {
						good++;
					}
					else {
						bad++;
					}
				}
			}
			assertThat(good).isEqualTo(70);
			assertThat(bad).isEqualTo(30);
		}
		assertThat(StratifiedFolds.assign(labels, 10, 42L)).isEqualTo(folds);
		assertThat(StratifiedFolds.assign(labels, 10, 43L)).isNotEqualTo(folds);
	}

	@Test
	void metricsAndThresholdFollowTheCostMatrix() {
		double[] p = { 0.1, 0.4, 0.35, 0.8, 0.9, 0.95 };
		boolean[] good = { false, false, true, false, true, true };
		// pairs (good, bad) ranked correctly: 0.35>0.1 yes, 0.35>0.4 no, 0.35>0.8 no, 0.9
		// and 0.95 beat all 3
		assertThat(BinaryMetrics.auc(p, good)).isCloseTo(7.0 / 9, within(1e-12));
		assertThat(BinaryMetrics.auc(new double[] { 0.5, 0.5 }, new boolean[] { true, false })).isEqualTo(0.5);
		BinaryMetrics.Confusion c = BinaryMetrics.confusion(p, good, 0.5);
		assertThat(c).isEqualTo(new BinaryMetrics.Confusion(2, 1, 1, 2));
		assertThat(c.cost()).isEqualTo(5 + 1);
		// refusing the bad 0.8 costs one refused good (0.35 is refused anyway): best at
		// 0.81..0.90, nearest 5/6
		assertThat(BinaryMetrics.bestThreshold(p, good)).isEqualTo(0.83);
		assertThat(BinaryMetrics.confusion(p, good, 0.83).cost()).isEqualTo(1);
	}

	@Test
	void crossFittedCostDecidesEachFoldWithTheOtherFoldsThreshold() {
		double[] p = new double[100];
		boolean[] good = new boolean[100];
		int[] fold = new int[100];
		for (int i = 0; i < 100; i++) {
			good[i] = i % 3 != 0;
			p[i] = good[i] ? 0.9 : 0.2;
			fold[i] = i % 10;
		}
		assertThat(CreditTraining.crossFittedCost(p, good, fold)).isZero();
		// one bad applicant scored like the good ones in fold 0: its fold's threshold
		// comes from the clean folds
		p[0] = 0.95;
		assertThat(CreditTraining.crossFittedCost(p, good, fold)).isEqualTo(5);
	}

	@Test
	void refusesACsvWithOtherColumnsOrLabels(@TempDir Path dir) throws IOException {
		List<String> lines = Files.readAllLines(CreditFixtures.CSV);
		Path renamed = dir.resolve("renamed.csv");
		Files.write(renamed, List.of(lines.get(0).replace("age", "Age"), lines.get(1)));
		assertThatThrownBy(() -> CreditData.load(renamed)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("header");
		Path relabelled = dir.resolve("relabelled.csv");
		Files.write(relabelled, List.of(lines.get(0), lines.get(1).replaceAll("good$", "GOOD")));
		assertThatThrownBy(() -> CreditData.load(relabelled)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("good or bad");
		Path hole = dir.resolve("hole.csv");
		Files.write(hole, List.of(lines.get(0), lines.get(1).replace(",radio/tv,", ",,")));
		assertThatThrownBy(() -> CreditData.load(hole)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("empty cell");
		Path numericHole = dir.resolve("numeric-hole.csv");
		Files.write(numericHole, List.of(lines.get(0), lines.get(1).replace(",1169,", ",,")));
		assertThatThrownBy(() -> CreditData.load(numericHole)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("not a number");
		Path text = dir.resolve("text.csv");
		Files.write(text, List.of(lines.get(0), lines.get(1).replace(",1169,", ",many,")));
		assertThatThrownBy(() -> CreditData.load(text)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("not a number");
	}

}
