package org.mlpages.credit;

import java.text.NumberFormat;
import java.util.Locale;
import java.util.stream.Collectors;

import org.mlpages.credit.CreditModels.ReadyCreditModel;
import org.mlpages.credit.model.CreditField;
import org.mlpages.credit.model.FieldError;

import org.springframework.context.MessageSource;

/**
 * Turns a refused answer into a sentence in the reader's language, quoting the field's
 * own bounds or choices as a person reads them: numbers in the reader's format with their
 * unit, choices by their names in the descriptor rather than the model's codes.
 */
class CreditErrorMessages {

	private final MessageSource messages;

	private final ReadyCreditModel credit;

	CreditErrorMessages(MessageSource messages, ReadyCreditModel credit) {
		this.messages = messages;
		this.credit = credit;
	}

	String message(FieldError error, Locale locale) {
		CreditField field = credit.model().schema().field(error.field()).orElse(null);
		Object[] arguments = switch (error.code()) {
			case TOO_SMALL -> new Object[] { field == null ? "?" : quantity(field, field.min(), locale) };
			case TOO_LARGE -> new Object[] { field == null ? "?" : quantity(field, field.max(), locale) };
			case UNKNOWN_CATEGORY -> new Object[] { field == null ? "" : choices(field, locale) };
			case TOO_LONG -> new Object[] { error.args().length > 0 ? String.valueOf(error.args()[0]) : "" };
			default -> new Object[0];
		};
		return messages.getMessage("credit.error." + error.code().name(), arguments, locale);
	}

	/**
	 * A value of a numeric field as a person reads it: "20,000 DM", "20 000 DM", "4" (a
	 * field with no unit in the descriptor).
	 */
	String quantity(CreditField field, double value, Locale locale) {
		String number = number(value, locale);
		String unit = credit.descriptor().field(field.name()).map(text -> text.unit(locale)).orElse(null);
		return unit == null || unit.isBlank() ? number
				: messages.getMessage("credit.quantity", new Object[] { number, unit }, locale);
	}

	/** A number as a person of that language reads it: "20,000", "20 000", "0.35". */
	static String number(double value, Locale locale) {
		NumberFormat format = NumberFormat.getNumberInstance(locale);
		// the default of 3 decimals would print a bound of 0.0005 as 0
		format.setMaximumFractionDigits(12);
		return format.format(value);
	}

	/** The accepted choices of a categorical field by their names, each quoted. */
	private String choices(CreditField field, Locale locale) {
		CreditDescriptor.FieldText text = credit.descriptor().field(field.name()).orElse(null);
		// names hold commas ("Woman, divorced, separated or married"): quoted, the list
		// still reads
		return field.categories()
			.stream()
			.map(category -> text == null ? category : text.optionLabel(category, locale))
			.map(name -> messages.getMessage("credit.choice.quoted", new Object[] { name }, locale))
			.collect(Collectors.joining(", "));
	}

}
