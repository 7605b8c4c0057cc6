package org.mlpages.credit.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlpages.credit.model.FieldError.Code.MISSING;
import static org.mlpages.credit.model.FieldError.Code.NOT_AN_INTEGER;
import static org.mlpages.credit.model.FieldError.Code.NOT_AN_OBJECT;
import static org.mlpages.credit.model.FieldError.Code.NOT_A_NUMBER;
import static org.mlpages.credit.model.FieldError.Code.NOT_A_STRING;
import static org.mlpages.credit.model.FieldError.Code.NOT_FINITE;
import static org.mlpages.credit.model.FieldError.Code.TOO_LARGE;
import static org.mlpages.credit.model.FieldError.Code.TOO_LONG;
import static org.mlpages.credit.model.FieldError.Code.TOO_SMALL;
import static org.mlpages.credit.model.FieldError.Code.UNKNOWN_CATEGORY;
import static org.mlpages.credit.model.FieldError.Code.UNKNOWN_FIELD;

/**
 * Validation against the committed model's schema: what must be refused before Tribuo
 * sees it, and why.
 */
class CreditSchemaTest {

	private final CreditSchema schema = CreditFixtures.model().schema();

	private static Arguments bad(String what, Consumer<Map<String, Object>> change, FieldError expected) {
		return Arguments.of(what, change, expected);
	}

	private static Stream<Arguments> badAnswers() {
		List<String> purposes = CreditFixtures.model().schema().field("purpose").orElseThrow().categories();
		return Stream.of(bad("missing field", a -> a.remove("age"), new FieldError("age", MISSING)),
				bad("null", a -> a.put("purpose", null), new FieldError("purpose", MISSING)),
				bad("empty string", a -> a.put("duration", ""), new FieldError("duration", MISSING)),
				bad("blank string", a -> a.put("housing", "  "), new FieldError("housing", MISSING)),
				bad("unknown category", a -> a.put("purpose", "yacht"),
						new FieldError("purpose", UNKNOWN_CATEGORY, purposes)),
				bad("ARFF-only category vacation", a -> a.put("purpose", "vacation"),
						new FieldError("purpose", UNKNOWN_CATEGORY, purposes)),
				bad("wrong case", a -> a.put("purpose", "Radio/TV"),
						new FieldError("purpose", UNKNOWN_CATEGORY, purposes)),
				bad("surrounding space", a -> a.put("purpose", " radio/tv"),
						new FieldError("purpose", UNKNOWN_CATEGORY, purposes)),
				bad("script in a category", a -> a.put("purpose", "<script>alert(1)</script>"),
						new FieldError("purpose", UNKNOWN_CATEGORY, purposes)),
				bad("script in a number", a -> a.put("age", "<script>alert(1)</script>"),
						new FieldError("age", NOT_A_NUMBER)),
				bad("number for a categorical", a -> a.put("own_telephone", 1),
						new FieldError("own_telephone", NOT_A_STRING)),
				bad("boolean for a categorical", a -> a.put("foreign_worker", true),
						new FieldError("foreign_worker", NOT_A_STRING)),
				bad("array for a categorical", a -> a.put("job", List.of("skilled")),
						new FieldError("job", NOT_A_STRING)),
				bad("negative age", a -> a.put("age", "-5"), new FieldError("age", TOO_SMALL, 15L)),
				bad("absurd amount", a -> a.put("credit_amount", "1000000000"),
						new FieldError("credit_amount", TOO_LARGE, 20000L)),
				bad("absurd amount as JSON number", a -> a.put("credit_amount", 1e9),
						new FieldError("credit_amount", TOO_LARGE, 20000L)),
				bad("NaN text", a -> a.put("duration", "NaN"), new FieldError("duration", NOT_FINITE)),
				bad("NaN double", a -> a.put("duration", Double.NaN), new FieldError("duration", NOT_FINITE)),
				bad("Infinity text", a -> a.put("age", "Infinity"), new FieldError("age", NOT_FINITE)),
				bad("infinite double", a -> a.put("age", Double.NEGATIVE_INFINITY), new FieldError("age", NOT_FINITE)),
				bad("overflowing exponent", a -> a.put("age", "1e999"), new FieldError("age", NOT_FINITE)),
				bad("text in a number", a -> a.put("duration", "twelve"), new FieldError("duration", NOT_A_NUMBER)),
				bad("decimal comma", a -> a.put("duration", "12,5"), new FieldError("duration", NOT_A_NUMBER)),
				bad("hexadecimal", a -> a.put("duration", "0x10"), new FieldError("duration", NOT_A_NUMBER)),
				bad("space in a number", a -> a.put("duration", " 12"), new FieldError("duration", NOT_A_NUMBER)),
				bad("decimal for an integer field", a -> a.put("duration", "12.5"),
						new FieldError("duration", NOT_AN_INTEGER)),
				bad("decimal JSON number for an integer field", a -> a.put("num_dependents", 1.5),
						new FieldError("num_dependents", NOT_AN_INTEGER)),
				bad("code outside 1-4", a -> a.put("installment_commitment", "5"),
						new FieldError("installment_commitment", TOO_LARGE, 4L)),
				bad("boolean for a number", a -> a.put("age", false), new FieldError("age", NOT_A_NUMBER)),
				bad("object for a number", a -> a.put("age", Map.of("value", 30)), new FieldError("age", NOT_A_NUMBER)),
				bad("huge string", a -> a.put("purpose", "x".repeat(10_000)),
						new FieldError("purpose", TOO_LONG, CreditSchema.MAX_STRING_LENGTH)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badAnswers")
	void refusesBadAnswers(String what, Consumer<Map<String, Object>> change, FieldError expected) {
		Map<String, Object> answers = CreditFixtures.applicant();
		change.accept(answers);
		assertThat(schema.validate(answers, false)).containsExactly(expected);
		assertThat(schema.validate(answers, true)).containsExactly(expected);
		assertThatThrownBy(() -> CreditFixtures.model().decide(answers)).isInstanceOfSatisfying(
				CreditModel.InvalidAnswersException.class, e -> assertThat(e.errors()).containsExactly(expected));
	}

	@Test
	void acceptsTheApplicantAsFormStringsAndAsJsonNumbers() {
		assertThat(schema.validate(CreditFixtures.applicant(), true)).isEmpty();
		Map<String, Object> json = CreditFixtures.applicant();
		json.put("duration", 6);
		json.put("credit_amount", 1169L);
		json.put("age", 67.0);
		json.put("installment_commitment", new BigDecimal("4.0"));
		json.put("existing_credits", BigInteger.TWO);
		json.put("residence_since", "4.0");
		json.put("num_dependents", "1e0");
		assertThat(schema.validate(json, true)).isEmpty();
		assertThat(CreditFixtures.model().decide(json).probabilityGood())
			.isEqualTo(CreditFixtures.model().decide(CreditFixtures.applicant()).probabilityGood());
	}

	@Test
	void extraFieldsAreErrorsOnlyWhenAsked() {
		Map<String, Object> answers = CreditFixtures.applicant();
		answers.put("_csrf", "token");
		answers.put("Age", "30");
		assertThat(schema.validate(answers, false)).isEmpty();
		assertThat(schema.validate(answers, true)).containsExactly(new FieldError("Age", UNKNOWN_FIELD),
				new FieldError("_csrf", UNKNOWN_FIELD));
		assertThat(CreditFixtures.model().decide(answers).probabilityGood()).isBetween(0.0, 1.0);
	}

	@Test
	void emptyOrNullAnswersReportEveryField() {
		List<FieldError> errors = schema.validate(new HashMap<>(), true);
		assertThat(errors).hasSize(20).allSatisfy(e -> assertThat(e.code()).isEqualTo(MISSING));
		assertThat(errors).extracting(FieldError::field).containsExactlyElementsOf(schema.fieldNames());
		assertThat(schema.validate(null, true)).containsExactly(new FieldError("", NOT_AN_OBJECT));
	}

	@Test
	void reportsAllProblemsAtOnceInFieldOrder() {
		Map<String, Object> answers = CreditFixtures.applicant();
		answers.put("foreign_worker", "maybe");
		answers.put("checking_status", "");
		answers.put("age", "200");
		List<FieldError> errors = schema.validate(answers, true);
		assertThat(errors).extracting(FieldError::field).containsExactly("checking_status", "age", "foreign_worker");
	}

	@Test
	void boundsAreInclusiveAndWholeDecimalsCountAsIntegers() {
		Map<String, Object> answers = CreditFixtures.applicant();
		answers.put("age", "15");
		answers.put("credit_amount", "20000");
		answers.put("duration", "12.0");
		assertThat(schema.validate(answers, true)).isEmpty();
		answers.put("credit_amount", 100);
		answers.put("age", 80L);
		assertThat(schema.validate(answers, true)).isEmpty();
	}

	@Test
	void theRoundBoundsAreTheOnesRefusedJustOutside() {
		Map<String, Object> answers = CreditFixtures.applicant();
		answers.put("credit_amount", "99");
		answers.put("age", "81");
		assertThat(schema.validate(answers, true)).containsExactly(new FieldError("credit_amount", TOO_SMALL, 100L),
				new FieldError("age", TOO_LARGE, 80L));
		answers.put("credit_amount", 20001);
		answers.put("age", 14);
		assertThat(schema.validate(answers, true)).containsExactly(new FieldError("credit_amount", TOO_LARGE, 20000L),
				new FieldError("age", TOO_SMALL, 15L));
	}

	@Test
	void unknownFieldNamesAreCutBeforeBeingQuoted() {
		Map<String, Object> answers = CreditFixtures.applicant();
		answers.put("k".repeat(5000), "v");
		assertThat(schema.validate(answers, true)).singleElement()
			.satisfies(e -> assertThat(e.field()).hasSize(CreditSchema.MAX_STRING_LENGTH));
	}

	@Test
	void errorsCompareByContent() {
		assertThat(new FieldError("age", TOO_SMALL, 17L)).isEqualTo(new FieldError("age", TOO_SMALL, 17L))
			.hasSameHashCodeAs(new FieldError("age", TOO_SMALL, 17L));
		assertThat(new ArrayList<>(Arrays.asList(new FieldError("age", TOO_SMALL, 17L).args()))).containsExactly(17L);
	}

}
