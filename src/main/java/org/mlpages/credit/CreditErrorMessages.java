package org.mlpages.credit;

import java.util.Locale;
import java.util.stream.Collectors;

import org.mlpages.credit.CreditModels.ReadyCreditModel;
import org.mlpages.credit.model.CreditField;
import org.mlpages.credit.model.FieldError;

import org.springframework.context.MessageSource;

/**
 * Turns a refused answer into a sentence in the reader's language, quoting the field's
 * own bounds or values.
 */
class CreditErrorMessages {

	private final MessageSource messages;

	private final ReadyCreditModel credit;

	CreditErrorMessages(MessageSource messages, ReadyCreditModel credit) {
		this.messages = messages;
		this.credit = credit;
	}

	String message(FieldError error, Locale locale) {
		Object[] arguments = switch (error.code()) {
			case TOO_SMALL -> new Object[] { bound(error.field(), true) };
			case TOO_LARGE -> new Object[] { bound(error.field(), false) };
			case UNKNOWN_CATEGORY -> new Object[] { accepted(error.field()) };
			case TOO_LONG -> new Object[] { error.args().length > 0 ? String.valueOf(error.args()[0]) : "" };
			default -> new Object[0];
		};
		return messages.getMessage("credit.error." + error.code().name(), arguments, locale);
	}

	private String bound(String fieldName, boolean min) {
		return credit.model()
			.schema()
			.field(fieldName)
			.map(field -> CreditForm.number(min ? field.min() : field.max()))
			.orElse("?");
	}

	private String accepted(String fieldName) {
		CreditField field = credit.model().schema().field(fieldName).orElse(null);
		if (field == null) {
			return "";
		}
		return field.categories().stream().map(category -> "\"" + category + "\"").collect(Collectors.joining(", "));
	}

}
