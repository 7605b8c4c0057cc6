package org.mlpages.credit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mlpages.credit.model.CreditModel;
import org.mlpages.credit.model.CreditSchema;

import static org.assertj.core.api.Assertions.assertThat;

class CreditDescriptorReaderTest {

	private static final List<String> DATA_SET_FIELDS = List.of("checking_status", "duration", "credit_history",
			"purpose", "credit_amount", "savings_status", "employment", "installment_commitment", "personal_status",
			"other_parties", "residence_since", "property_magnitude", "age", "other_payment_plans", "housing",
			"existing_credits", "job", "num_dependents", "own_telephone", "foreign_worker");

	@Test
	void theShippedDescriptorNamesEveryAnswerInBothLanguages() throws Exception {
		CreditDescriptor descriptor = CreditDescriptorReader.read(Path.of("models/credit.yml"));

		assertThat(descriptor.fields()).extracting(CreditDescriptor.FieldText::name)
			.containsExactlyInAnyOrderElementsOf(DATA_SET_FIELDS);
		assertThat(descriptor.sections().stream().flatMap(section -> section.fields().stream()))
			.containsExactlyInAnyOrderElementsOf(DATA_SET_FIELDS);
		assertThat(descriptor.fields()).allSatisfy(field -> {
			assertThat(field.label(Locale.ENGLISH)).as(field.name()).isNotBlank().isNotEqualTo(field.name());
			assertThat(field.label(Locale.FRENCH)).as(field.name())
				.isNotBlank()
				.isNotEqualTo(field.label(Locale.ENGLISH));
		});
		CreditDescriptor.FieldText checking = descriptor.field("checking_status").orElseThrow();
		assertThat(checking.optionLabel("<0", Locale.FRENCH)).isEqualTo("À découvert (moins de 0 DM)");
		assertThat(descriptor.field("duration").orElseThrow().unit(Locale.FRENCH)).isEqualTo("mois");
		assertThat(descriptor.examples()).hasSize(2)
			.allSatisfy(example -> assertThat(example.keySet()).containsExactlyInAnyOrderElementsOf(DATA_SET_FIELDS));
	}

	@Test
	void theExampleAndDemoApplicantsPassTheModelsChecks() throws Exception {
		CreditSchema schema = CreditModel.load(Path.of("models/credit.model"), Path.of("models/credit.report.json"))
			.schema();
		CreditDescriptor descriptor = CreditDescriptorReader.read(Path.of("models/credit.yml"));
		List<String> demo = Files.readAllLines(Path.of("src/main/resources/demo/applicants.csv"));
		List<String> header = List.of(demo.get(0).split(","));

		assertThat(descriptor.examples()).allSatisfy(example -> assertThat(schema.validate(example, true)).isEmpty());
		assertThat(demo.subList(1, demo.size())).hasSize(3).allSatisfy(line -> {
			List<String> values = List.of(line.split(",", -1));
			Map<String, String> answers = new HashMap<>();
			for (String field : DATA_SET_FIELDS) {
				answers.put(field, values.get(header.indexOf(field)));
			}
			assertThat(schema.validate(answers, true)).as(line).isEmpty();
		});
	}

}
