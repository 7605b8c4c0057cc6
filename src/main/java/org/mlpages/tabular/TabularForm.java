package org.mlpages.tabular;

import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mlpages.tabular.TabularDescriptor.Field;
import org.mlpages.tabular.TabularDescriptor.Kind;
import org.mlpages.tabular.TabularModel.FieldError;

import org.springframework.context.MessageSource;

/**
 * A tabular model's form as the page draws it: one question per field of the descriptor,
 * in its order, in the reader's words, with the answer given and its error.
 */
public record TabularForm(List<Question> questions) {

	/**
	 * @param kind {@code number}, {@code integer}, {@code choice} or {@code yes-no}
	 * @param min for a number, the input's {@code min} attribute (never locale-formatted)
	 * @param range for a number, its bounds as a person reads them, or null
	 */
	public record Question(String name, String label, String help, String unit, String kind, String value, String error,
			String min, String max, String step, List<Choice> choices, String range) {

		public boolean numeric() {
			return kind.equals("number") || kind.equals("integer");
		}

	}

	public record Choice(String value, String label) {
	}

	public static TabularForm of(TabularModel model, Map<String, String> values, List<FieldError> errors,
			MessageSource messages, Locale locale) {
		List<Question> questions = model.descriptor().fieldList().stream().map(field -> {
			String error = errors.stream()
				.filter(e -> e.field().equals(field.name()))
				.findFirst()
				.map(e -> TabularErrorMessages.message(e, messages, locale))
				.orElse(null);
			List<Choice> choices = switch (field.kind()) {
				case CHOICE ->
					field.optionList().stream().map(option -> new Choice(option.value(), option.name(locale))).toList();
				case YES_NO -> List.of(new Choice("yes", messages.getMessage("tabular.yes", null, locale)),
						new Choice("no", messages.getMessage("tabular.no", null, locale)));
				default -> List.of();
			};
			return new Question(field.name(), field.label(locale), field.help(locale), field.unit(locale),
					field.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'), values.get(field.name()), error,
					TabularErrorMessages.plain(field.min()), TabularErrorMessages.plain(field.max()),
					field.kind() == Kind.INTEGER ? "1" : "any", choices, range(field, messages, locale));
		}).toList();
		return new TabularForm(questions);
	}

	private static String range(Field field, MessageSource messages, Locale locale) {
		if (field.min() == null || field.max() == null) {
			return null;
		}
		NumberFormat number = NumberFormat.getNumberInstance(locale);
		String text = messages.getMessage("tabular.range",
				new Object[] { number.format(field.min()), number.format(field.max()) }, locale);
		return field.unit(locale) == null ? text : text + " " + field.unit(locale);
	}

}
