package org.mlpages.credit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mlpages.credit.CreditModels.ReadyCreditModel;
import org.mlpages.credit.model.CreditField;
import org.mlpages.credit.model.FieldError;

import org.springframework.context.MessageSource;

/**
 * What the credit form shows: each question with its words from the descriptor, its
 * allowed values or bounds from the model, the value entered and, after a refused
 * submission, what is wrong with it.
 */
record CreditForm(List<Section> sections) {

	record Section(String title, List<Question> questions) {
	}

	/**
	 * @param min the smallest accepted number, for the input's attribute: plain digits
	 * whatever the language ({@code 20000}, never {@code 20 000})
	 * @param max the largest, likewise
	 * @param range the accepted range as a person reads it, with its unit and reason
	 */
	record Question(String name, String label, String help, String unit, boolean numeric, List<Choice> choices,
			String min, String max, String step, String range, String value, String error) {
	}

	record Choice(String value, String label) {
	}

	static CreditForm of(ReadyCreditModel credit, Map<String, String> values, List<FieldError> errors,
			MessageSource messages, Locale locale) {
		CreditErrorMessages errorMessages = new CreditErrorMessages(messages, credit);
		Map<String, String> errorByField = new HashMap<>();
		for (FieldError error : errors) {
			errorByField.putIfAbsent(error.field(), errorMessages.message(error, locale));
		}
		List<Section> sections = new ArrayList<>();
		for (CreditDescriptor.Section section : credit.descriptor().sections()) {
			List<Question> questions = new ArrayList<>();
			for (String name : section.fields()) {
				credit.model()
					.schema()
					.field(name)
					.ifPresent(field -> questions.add(question(field, credit.descriptor(), values.get(name),
							errorByField.get(name), errorMessages, messages, locale)));
			}
			sections.add(new Section(section.name(locale), questions));
		}
		return new CreditForm(sections);
	}

	private static Question question(CreditField field, CreditDescriptor descriptor, String value, String error,
			CreditErrorMessages quantities, MessageSource messages, Locale locale) {
		CreditDescriptor.FieldText text = descriptor.field(field.name())
			.orElse(new CreditDescriptor.FieldText(field.name(), null, null, null, null, null, null, null));
		boolean numeric = field.kind() == CreditField.Kind.NUMERIC;
		List<Choice> choices = numeric ? List.of()
				: field.categories()
					.stream()
					.map(category -> new Choice(category, text.optionLabel(category, locale)))
					.toList();
		// the bounds the schema checks: a value inside the range read here is never
		// refused
		String range = numeric
				? messages.getMessage("credit.range", new Object[] { CreditErrorMessages.number(field.min(), locale),
						quantities.quantity(field, field.max(), locale) }, locale)
				: null;
		return new Question(field.name(), text.label(locale), text.help(locale), text.unit(locale), numeric, choices,
				numeric ? number(field.min()) : null, numeric ? number(field.max()) : null,
				numeric ? (field.integer() ? "1" : "any") : null, range, value, error);
	}

	/** A number for an attribute or a program: plain digits, a dot, no grouping. */
	static String number(double value) {
		return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
	}

}
