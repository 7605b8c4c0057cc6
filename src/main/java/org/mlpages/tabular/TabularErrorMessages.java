package org.mlpages.tabular;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.Locale;

import org.mlpages.tabular.TabularModel.FieldError;

import org.springframework.context.MessageSource;

/**
 * A refused answer as a person reads it ({@code tabular.error.*}), bounds written the
 * reader's way; and bounds as HTML attributes take them, never the reader's way.
 */
final class TabularErrorMessages {

	private TabularErrorMessages() {
	}

	static String message(FieldError error, MessageSource messages, Locale locale) {
		if (error.code().equals("range")) {
			double min = ((Number) error.arguments().get(0)).doubleValue();
			double max = ((Number) error.arguments().get(1)).doubleValue();
			NumberFormat number = NumberFormat.getNumberInstance(locale);
			if (Double.isInfinite(min)) {
				return messages.getMessage("tabular.error.max", new Object[] { number.format(max) }, locale);
			}
			if (Double.isInfinite(max)) {
				return messages.getMessage("tabular.error.min", new Object[] { number.format(min) }, locale);
			}
			return messages.getMessage("tabular.error.range", new Object[] { number.format(min), number.format(max) },
					locale);
		}
		return messages.getMessage("tabular.error." + error.code(), null, locale);
	}

	/** {@code 18}, {@code 0.5}: what an input's min, max and step attributes read. */
	static String plain(Double value) {
		return value == null ? null : BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
	}

}
