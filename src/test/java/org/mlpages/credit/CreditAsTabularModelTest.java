package org.mlpages.credit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlpages.credit.model.CreditDecision;
import org.mlpages.credit.model.CreditField;
import org.mlpages.credit.model.CreditModel;
import org.mlpages.tabular.TabularDescriptor;
import org.mlpages.tabular.TabularDescriptor.Kind;
import org.mlpages.tabular.TabularDescriptorReader;
import org.mlpages.tabular.TabularModel;
import org.mlpages.tabular.TabularModel.Answers;
import org.mlpages.tabular.TabularModel.Contribution;
import org.mlpages.tabular.TabularModel.Decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The committed credit model served as a tabular model: every application of the data set
 * gets the model's own probability, decision and exact explanation through the tabular
 * form's checks, and the form asks the model's questions with its bounds.
 */
class CreditAsTabularModelTest {

	private static CreditModel credit;

	private static TabularModel tabular;

	@BeforeAll
	static void load() throws IOException {
		credit = CreditModel.load(Path.of("models/credit.model"), Path.of("models/credit.report.json"));
		TabularDescriptor words = TabularDescriptorReader.read(Path.of("models/credit.yml"));
		tabular = CreditModels.serve(credit, words, Path.of("models/credit.model"), System.nanoTime());
	}

	@AfterAll
	static void close() {
		tabular.close();
	}

	@Test
	void everyApplicationOfTheDataIsDecidedAndExplainedAsTheModelDoes() throws IOException {
		List<String> lines = Files.readAllLines(Path.of("data/credit/credit-g.csv"));
		String[] header = lines.get(0).split(",");
		for (String line : lines.subList(1, lines.size())) {
			String[] values = line.split(",");
			Map<String, String> sent = new LinkedHashMap<>();
			for (int i = 0; i < header.length - 1; i++) {
				sent.put(header[i], values[i]);
			}

			Answers answers = tabular.read(sent);
			assertThat(answers.errors()).as(line).isEmpty();
			Decision decision = tabular.decide(answers);
			CreditDecision expected = credit.decide(sent);

			assertThat(decision.probabilities().get("granted")).as(line).isEqualTo(expected.probabilityGood());
			assertThat(decision.probabilities().get("refused")).isEqualTo(1 - expected.probabilityGood());
			assertThat(decision.label()).as(line).isEqualTo(expected.granted() ? "granted" : "refused");
			assertThat(decision.threshold()).isEqualTo(credit.threshold());
			assertThat(decision.explained()).isEqualTo("granted");
			assertThat(decision.explainedIn()).isEqualTo(TabularModel.LOG_ODDS);
			assertThat(decision.contributions()).hasSize(20);
			// exact: the shares and the average applicant's log-odds add up to the
			// row's log-odds
			assertThat(expected.baseValue() + decision.contributions().stream().mapToDouble(Contribution::change).sum())
				.as(line)
				.isCloseTo(expected.logOdds(), within(1e-9));
			assertThat(decision.contributions()).as("largest first")
				.isSortedAccordingTo((a, b) -> Double.compare(Math.abs(b.change()), Math.abs(a.change())));
		}
	}

	@Test
	void theFormAsksTheModelsQuestionsWithItsBoundsAndChoices() {
		assertThat(tabular.descriptor().fieldList()).hasSize(credit.schema().fields().size());
		for (CreditField field : credit.schema().fields()) {
			TabularDescriptor.Field asked = tabular.field(field.name());
			if (field.kind() == CreditField.Kind.NUMERIC) {
				assertThat(asked.kind()).isEqualTo(field.integer() ? Kind.INTEGER : Kind.NUMBER);
				assertThat(asked.min()).isEqualTo(field.min());
				assertThat(asked.max()).isEqualTo(field.max());
			}
			else {
				assertThat(asked.kind()).isEqualTo(Kind.CHOICE);
				assertThat(asked.optionList().stream().map(TabularDescriptor.Option::value))
					.containsExactlyElementsOf(field.categories());
			}
		}
		assertThat(tabular.descriptor().sectionList().stream().flatMap(section -> section.fieldList().stream()))
			.as("every question in one of the four sections")
			.containsExactlyInAnyOrderElementsOf(credit.schema().fieldNames());
		assertThat(tabular.field("purpose").optionName("radio/tv", java.util.Locale.FRENCH))
			.isEqualTo("Radio ou télévision");
	}

	@Test
	void justOutsideTheBoundsIsRefusedWithTheBounds() {
		CreditField age = credit.schema().field("age").orElseThrow();
		Map<String, String> sent = new LinkedHashMap<>(tabular.descriptor().examples().get(0));
		sent.put("age", String.valueOf((long) age.max() + 1));

		Answers answers = tabular.read(sent);

		assertThat(answers.errors()).singleElement().satisfies(error -> {
			assertThat(error.field()).isEqualTo("age");
			assertThat(error.code()).isEqualTo("range");
			assertThat(error.arguments()).containsExactly(age.min(), age.max());
		});
		assertThat(Arrays.asList(tabular.classes().toArray())).containsExactly("granted", "refused");
	}

}
