package org.mlpages.tabular;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpages.tabular.TabularModel.Answers;
import org.mlpages.tabular.TabularModel.Contribution;
import org.mlpages.tabular.TabularModel.Decision;
import org.mlpages.tabular.TabularModel.FieldError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A tabular model and its descriptor: answers read field by field, the decision and its
 * explanation computed here independently from the test model's constants, and every way
 * the two files can disagree refused at load with its reason.
 */
class TabularModelTest {

	private static final Path DIR = Path.of("src/test/resources/tabular/onnx");

	@TempDir
	Path tmp;

	/**
	 * The generator's weights: [sex=F, sex=M, smoker=no, smoker=yes, (age - 40) / 12],
	 * bias -0.2.
	 */
	private static double good(String sex, String smoker, double age) {
		double z = -0.2 + (sex.equals("F") ? 0.4 : -0.3) + (smoker.equals("no") ? -0.8 : 0.9) + 1.5 * (age - 40) / 12;
		return 1 / (1 + Math.exp(-z));
	}

	@Test
	void decidesOnTheAnswersAndSaysHowMuchEachMovedTheDecision() throws IOException {
		try (TabularModel model = load("pipeline_strings")) {
			Answers answers = model.read(Map.of("sex", "M", "smoker", "yes", "age", "61"));
			assertThat(answers.valid()).isTrue();
			Decision decision = model.decide(answers);
			double p = good("M", "yes", 61);
			assertThat(decision.probabilities().get("good")).isCloseTo(p, within(1e-6));
			assertThat(decision.probabilities().get("bad")).isCloseTo(1 - p, within(1e-6));
			assertThat(decision.label()).isEqualTo(p >= 0.5 ? "good" : "bad");
			assertThat(decision.threshold()).isEqualTo(0.5);
			assertThat(decision.explained()).isEqualTo("good");
			// a linear model: each answer's exact term of the log-odds against its
			// baseline (F, no, 40), from the generator's weights
			assertThat(decision.explainedIn()).isEqualTo(TabularModel.LOG_ODDS);
			Map<String, Double> expected = Map.of("sex", -0.3 - 0.4, "smoker", 0.9 - -0.8, "age",
					1.5 * (61 - 40) / 12.0);
			assertThat(decision.contributions()).extracting(Contribution::field)
				.containsExactlyInAnyOrder("sex", "smoker", "age");
			for (Contribution c : decision.contributions()) {
				assertThat(c.change()).as(c.field()).isCloseTo(expected.get(c.field()), within(1e-5));
			}
			assertThat(Math.abs(decision.contributions().get(0).change()))
				.isGreaterThanOrEqualTo(Math.abs(decision.contributions().get(2).change()));
		}
	}

	/**
	 * A tree ensemble is no sum of terms: each answer's change of the probability against
	 * its baseline, the others kept, worked out from the generator's two trees.
	 */
	@Test
	void aTreeEnsembleIsExplainedInPointsOfProbability() throws IOException {
		Path descriptor = Files.writeString(tmp.resolve("forest.yml"), """
				title: { en: Forest }
				classes: [{ value: "0" }, { value: "1" }]
				fields:
				  - { name: a, input: input, column: 0, kind: number, baseline: "1" }
				  - { name: b, input: input, column: 1, kind: number, baseline: "5" }
				  - { name: c, input: input, column: 2, kind: number, baseline: "0" }
				""");
		try (TabularModel forest = TabularModel.load("forest", DIR.resolve("forest_no_zipmap.onnx"), descriptor)) {
			Decision decision = forest.decide(forest.read(Map.of("a", "3", "b", "20", "c", "1")));

			// first tree: a > 2.5 and c > 0.5 give 1.0; second: b > 10 gives 0.8
			assertThat(decision.probabilities().get("1")).isCloseTo((1.0 + 0.8) / 2, within(1e-6));
			assertThat(decision.explainedIn()).isEqualTo(TabularModel.PROBABILITY);
			// a at 1: the first tree gives 0.1; b at 5: the second gives 0.4; c at 0: the
			// first gives 0.7
			Map<String, Double> expected = Map.of("a", 0.9 - (0.1 + 0.8) / 2, "b", 0.9 - (1.0 + 0.4) / 2, "c",
					0.9 - (0.7 + 0.8) / 2);
			assertThat(decision.contributions()).hasSize(3)
				.allSatisfy(c -> assertThat(c.change()).as(c.field()).isCloseTo(expected.get(c.field()), within(1e-6)));
			assertThat(decision.contributions().get(0).field()).isEqualTo("a");
		}
	}

	@Test
	void eachRefusedAnswerIsNamedWithItsReason() throws IOException {
		try (TabularModel model = load("pipeline_strings")) {
			Answers answers = model.read(Map.of("sex", "X", "age", "17"));
			assertThat(answers.valid()).isFalse();
			assertThat(answers.errors()).containsExactly(new FieldError("sex", "choice", List.of()),
					new FieldError("smoker", "required", List.of()),
					new FieldError("age", "range", List.of(18.0, 100.0)));
			assertThat(model.read(Map.of("sex", "F", "smoker", "no", "age", "40.5")).errors())
				.containsExactly(new FieldError("age", "integer", List.of()));
			assertThat(model.read(Map.of("sex", "F", "smoker", "no", "age", "forty")).errors())
				.containsExactly(new FieldError("age", "number", List.of()));
			assertThat(model.read(Map.of("sex", "F", "smoker", "no", "age", "1e400")).errors())
				.as("not a finite number")
				.containsExactly(new FieldError("age", "number", List.of()));
			assertThat(model.read(Map.of("sex", "F", "smoker", "no", "age", " 40 ")).valid()).isTrue();
			// neither grouped digits (a thousand, or one?) nor hexadecimal
			assertThat(model.read(Map.of("sex", "F", "smoker", "no", "age", "1,000")).errors())
				.containsExactly(new FieldError("age", "number", List.of()));
			assertThat(model.read(Map.of("sex", "F", "smoker", "no", "age", "0x1p5")).errors())
				.containsExactly(new FieldError("age", "number", List.of()));
			// logged as the model read it, whatever way it was written
			assertThat(model.read(Map.of("sex", "F", "smoker", "no", "age", "40,0")).sent()).containsEntry("age", "40");
			assertThat(model.read(Map.of("sex", "F", "smoker", "no", "age", "4.1e1")).sent()).containsEntry("age",
					"41");
			// neither grouped digits (a thousand, or one?) nor hexadecimal
			assertThat(model.read(Map.of("sex", "F", "smoker", "no", "age", "1,000")).errors())
				.containsExactly(new FieldError("age", "number", List.of()));
			assertThat(model.read(Map.of("sex", "F", "smoker", "no", "age", "0x1p5")).errors())
				.containsExactly(new FieldError("age", "number", List.of()));
			// logged as the model read it, whatever way it was written
			assertThat(model.read(Map.of("sex", "F", "smoker", "no", "age", "40,0")).sent()).containsEntry("age", "40");
			assertThat(model.read(Map.of("sex", "F", "smoker", "no", "age", "4.1e1")).sent()).containsEntry("age",
					"41");
		}
	}

	/** One FLOAT[N, 15] input filled column by column from fifteen fields. */
	@Test
	void fieldsFillTheColumnsOfOneInput() throws IOException {
		try (TabularModel heart = load("debayan_heart_model")) {
			Map<String, String> sent = new HashMap<>();
			for (int i = 1; i <= 15; i++) {
				sent.put("x" + i, i == 3 ? "2,5" : "0");
			}
			Decision decision = heart.decide(heart.read(sent));
			// only column 2 differs from zero: its weight is -1.3421679735183716 for
			// class 1
			double z = -0.5294077396392822 - 1.3421679735183716 * 2.5;
			assertThat(decision.probabilities().get("1")).isCloseTo(1 / (1 + Math.exp(-z)), within(1e-6));
			assertThat(decision.label()).isEqualTo("0");
			assertThat(heart.className("1", java.util.Locale.FRENCH)).isEqualTo("Risque élevé");
		}
	}

	@Test
	void aDescriptorThatDoesNotFitTheModelIsRefusedWithItsReason() throws IOException {
		String yaml = Files.readString(DIR.resolve("pipeline_strings.yml"));
		assertThat(refusal(yaml.replace("  - name: smoker", "  - name: smokes"))).isEqualTo(
				"in model.yml, field smokes: it feeds the input smokes, which the model does not take (its inputs:"
						+ " sex string, smoker string, age float)");
		assertThat(refusal(yaml.replace("    kind: integer", "    kind: choice\n    options: [{ value: \"40\" }]")
			.replace("  - name: age", "  - name: age\n    input: smoker")))
			.startsWith("in model.yml, field age: it feeds smoker, as the field smoker does");
		assertThat(refusal(yaml.replace("    kind: choice\n    en: Sex", "    kind: number\n    en: Sex")))
			.isEqualTo("in model.yml, field sex: the input sex takes text: make it a choice, with the values the"
					+ " model was trained on");
		assertThat(refusal(yaml.replace("  - { value: good, en: Repaid, fr: Remboursé }",
				"  - { value: fine, en: Repaid, fr: Remboursé }")))
			.startsWith("in model.yml, classes names [");
		assertThat(refusal(yaml.replace("positive: good", "positive: great")))
			.isEqualTo("in model.yml, positive is great, which is not one of the model's classes [bad, good]");
		assertThat(refusal(yaml.replace("age: \"61\"", "age: \"12\"")))
			.isEqualTo("in model.yml, example 1: field age is refused (range [18.0, 100.0])");
		assertThat(refusal(yaml.replace("      - { value: \"no\", en: \"No\", fr: Non }",
				"      - { value: no, en: \"No\", fr: Non }")))
			.isEqualTo("in model.yml, field smoker: an option's value is false: YAML reads an unquoted yes, no, on or"
					+ " off as true or false; write the text in quotes (\"no\")");
		assertThat(refusal(yaml.replace("      - { value: \"no\", en: \"No\", fr: Non }",
				"      - { value: no, en: \"No\", fr: Non }")))
			.isEqualTo("in model.yml, field smoker: an option's value is false: YAML reads an unquoted yes, no, on or"
					+ " off as true or false; write the text in quotes (\"no\")");
		assertThat(refusal(yaml.replace("    min: 18", "    min: .nan")))
			.isEqualTo("in model.yml, field age: min and max are numbers");
		assertThat(refusal(yaml.replace("  - name: age", "  - name: _csrf\n    input: age")))
			.startsWith("in model.yml, a field's name is letters, digits, '_', '.' and '-', starting with a letter");
		String withoutAge = yaml.substring(0, yaml.indexOf("  - name: age")) + "examples: []\n";
		assertThat(refusal(withoutAge)).isEqualTo("in model.yml, no field feeds the model's input age (float)");
	}

	@Test
	void theThresholdFollowsFromTheCostsOfEachWrongDecision() throws IOException {
		String yaml = Files.readString(DIR.resolve("pipeline_strings.yml"));
		// granting a loan that is not repaid costs 5, refusing one that would be costs 1:
		// granting costs less on average from P(good) = 5 / 6
		String costs = yaml.replace("threshold: 0.5", "costs: { false-positive: 5, false-negative: 1 }");
		Path descriptor = Files.writeString(tmp.resolve("costs.yml"), costs);
		try (TabularModel model = TabularModel.load("m", DIR.resolve("pipeline_strings.onnx"), descriptor)) {
			assertThat(model.threshold()).isEqualTo(5.0 / 6);
			double p = good("F", "no", 50);
			assertThat(p).as("the row sits between the two thresholds").isBetween(0.5, 5.0 / 6);
			assertThat(model.decide(model.read(Map.of("sex", "F", "smoker", "no", "age", "50"))).label())
				.isEqualTo("bad");
		}
		assertThat(refusal(
				yaml.replace("threshold: 0.5", "threshold: 0.5\ncosts: { false-positive: 5, false-negative: 1 }")))
			.isEqualTo("in model.yml, give the threshold or the costs, not both: the threshold follows from the costs");
		assertThat(refusal(yaml.replace("threshold: 0.5", "costs: { false-positive: 5, false-negative: 0 }")))
			.startsWith("in model.yml, costs are two numbers above 0");
	}

	@Test
	void aModelWithoutItsDescriptorOrAPickleIsRefused() throws IOException {
		Path model = Files.copy(DIR.resolve("pipeline_strings.onnx"), tmp.resolve("loans.onnx"));
		assertThatThrownBy(() -> TabularModel.load("loans", model, tmp.resolve("loans.yml")))
			.isInstanceOf(InvalidTabularModelException.class)
			.hasMessage("loans.onnx has no descriptor: write loans.yml beside it (java -jar mlpages.jar describe"
					+ " loans.onnx prints one to complete)");
		Path pickle = Files.write(tmp.resolve("loans.pkl"), new byte[] { (byte) 0x80, 4 });
		Files.copy(DIR.resolve("pipeline_strings.yml"), tmp.resolve("loans.yml"));
		assertThatThrownBy(() -> TabularModel.load("loans", pickle, tmp.resolve("loans.yml")))
			.isInstanceOf(InvalidTabularModelException.class)
			.hasMessageStartingWith("loans.pkl is a Python pickle");
	}

	private TabularModel load(String name) throws IOException {
		return TabularModel.load(name, DIR.resolve(name + ".onnx"), DIR.resolve(name + ".yml"));
	}

	private String refusal(String yaml) throws IOException {
		Path descriptor = Files.writeString(tmp.resolve("model.yml"), yaml);
		try (TabularModel model = TabularModel.load("m", DIR.resolve("pipeline_strings.onnx"), descriptor)) {
			throw new AssertionError("loaded");
		}
		catch (InvalidTabularModelException ex) {
			return ex.getMessage();
		}
	}

}
