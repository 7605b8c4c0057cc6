package org.mlpages.tabular;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.Locale;

import java.util.stream.Collectors;

import org.mlpages.tabular.TabularDescriptor.Field;
import org.mlpages.tabular.TabularModel.FieldError;

import org.springframework.context.MessageSource;

/**
 * A refused answer as a person reads it ({@code tabular.error.*}), bounds written the
 * reader's way; and bounds as HTML attributes take them, never the reader's way.
 */
public final class TabularErrorMessages {

	private TabularErrorMessages() {
	}

	/**
	 * @param model the model whose field was refused, for the field's unit and its
	 * options' names; null when it is no longer served
	 */
	public static String message(FieldError error, TabularModel model, MessageSource messages, Locale locale) {
		Field field = model != null && model.hasField(error.field()) ? model.field(error.field()) : null;
		String unit = field == null ? null : field.unit(locale);
		if (error.code().equals("range")) {
			double min = ((Number) error.arguments().get(0)).doubleValue();
			double max = ((Number) error.arguments().get(1)).doubleValue();
			if (Double.isInfinite(min)) {
				return messages.getMessage("tabular.error.max", new Object[] { quantity(max, unit, locale) }, locale);
			}
			if (Double.isInfinite(max)) {
				return messages.getMessage("tabular.error.min", new Object[] { quantity(min, unit, locale) }, locale);
			}
			return messages.getMessage("tabular.error.range",
					new Object[] { number(min, locale), quantity(max, unit, locale) }, locale);
		}
		if (error.code().equals("choice") && field != null) {
			// names hold commas ("Woman, divorced, separated or married"): quoted, the
			// list still reads
			String names = field.optionList()
				.stream()
				.map(option -> messages.getMessage("tabular.quoted", new Object[] { option.name(locale) }, locale))
				.collect(Collectors.joining(", "));
			return messages.getMessage("tabular.error.choice.among", new Object[] { names }, locale);
		}
		return messages.getMessage("tabular.error." + error.code(), null, locale);
	}

	/** A number the reader's way with its unit, never split: "20,000 DM", "20 000 DM". */
	static String quantity(double value, String unit, Locale locale) {
		String number = number(value, locale);
		return unit == null || unit.isBlank() ? number : number + "\u00a0" + unit;
	}

	/** A number as a person of that language reads it: "20,000", "20 000", "0.35". */
	static String number(double value, Locale locale) {
		NumberFormat format = NumberFormat.getNumberInstance(locale);
		// the default of 3 decimals would print a bound of 0.0005 as 0
		format.setMaximumFractionDigits(12);
		return format.format(value);
	}

	/** {@code 18}, {@code 0.5}: what an input's min, max and step attributes read. */
	static String plain(Double value) {
		return value == null ? null : BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
	}

}
