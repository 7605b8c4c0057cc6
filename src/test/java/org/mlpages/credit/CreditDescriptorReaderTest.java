package org.mlpages.credit;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

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

}
