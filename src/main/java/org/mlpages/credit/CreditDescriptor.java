package org.mlpages.credit;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.mlpages.system.LocalizedText;

/**
 * The {@code credit.yml} beside the trained model: the words a person reads for each
 * answer of the form. Which answers exist, their allowed values and bounds come from the
 * model itself.
 */
public record CreditDescriptor(LocalizedText title, LocalizedText description, List<Section> sections,
		List<FieldText> fields, List<Map<String, String>> examples) {

	/** A group of questions on the form. */
	public record Section(String id, String en, String fr, List<String> fields) {

		public String name(Locale locale) {
			return new LocalizedText(en, fr).in(locale);
		}

	}

	/** How one answer is named, explained and measured. */
	public record FieldText(String name, String en, String fr, String helpEn, String helpFr, String unitEn,
			String unitFr, List<Option> options) {

		public String label(Locale locale) {
			return new LocalizedText(en != null ? en : name, fr).in(locale);
		}

		public String help(Locale locale) {
			return helpEn == null ? null : new LocalizedText(helpEn, helpFr).in(locale);
		}

		public String unit(Locale locale) {
			return unitEn == null ? null : new LocalizedText(unitEn, unitFr).in(locale);
		}

		/** The words for a category value; the raw value when the descriptor has none. */
		public String optionLabel(String value, Locale locale) {
			if (options == null) {
				return value;
			}
			return options.stream()
				.filter(option -> option.value().equals(value))
				.findFirst()
				.map(option -> new LocalizedText(option.en(), option.fr()).in(locale))
				.orElse(value);
		}

	}

	/** One category value and its words. */
	public record Option(String value, String en, String fr) {
	}

	public Optional<FieldText> field(String name) {
		return fields.stream().filter(field -> field.name().equals(name)).findFirst();
	}

}
