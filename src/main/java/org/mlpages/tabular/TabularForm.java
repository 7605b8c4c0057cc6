package org.mlpages.tabular;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.mlpages.system.LocalizedText;

import org.mlpages.tabular.TabularDescriptor.Field;
import org.mlpages.tabular.TabularDescriptor.Kind;
import org.mlpages.tabular.TabularModel.FieldError;

import org.springframework.context.MessageSource;

/**
 * A tabular model's form as the page draws it: one question per field of the descriptor,
 * in the reader's words, with the answer given and its error; in the descriptor's
 * sections, or in one group in the fields' order.
 */
public record TabularForm(List<Section> sections) {

	/**
	 * A group of questions under its title; the fields no section names come last,
	 * untitled.
	 */
	public record Section(String title, List<Question> questions) {
	}

	/** Every question, section after section. */
	public List<Question> questions() {
		return sections.stream().flatMap(section -> section.questions().stream()).toList();
	}

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
		Map<String, Question> questions = new LinkedHashMap<>();
		model.descriptor().fieldList().forEach(field -> {
			String error = errors.stream()
				.filter(e -> e.field().equals(field.name()))
				.findFirst()
				.map(e -> TabularErrorMessages.message(e, model, messages, locale))
				.orElse(null);
			List<Choice> choices = switch (field.kind()) {
				case CHOICE ->
					field.optionList().stream().map(option -> new Choice(option.value(), option.name(locale))).toList();
				case YES_NO -> List.of(new Choice("yes", messages.getMessage("tabular.yes", null, locale)),
						new Choice("no", messages.getMessage("tabular.no", null, locale)));
				default -> List.of();
			};
			questions.put(field.name(),
					new Question(field.name(), field.label(locale), field.help(locale), field.unit(locale),
							field.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'), values.get(field.name()),
							error, TabularErrorMessages.plain(field.min()), TabularErrorMessages.plain(field.max()),
							field.kind() == Kind.INTEGER ? "1" : "any", choices,
							range(field, model.descriptor().rangeNote(), messages, locale)));
		});
		List<Section> sections = new ArrayList<>();
		for (TabularDescriptor.Section section : model.descriptor().sectionList()) {
			sections.add(new Section(section.title(locale),
					section.fieldList().stream().map(questions::remove).filter(Objects::nonNull).toList()));
		}
		if (!questions.isEmpty()) {
			sections.add(new Section(null, List.copyOf(questions.values())));
		}
		return new TabularForm(sections);
	}

	private static String range(Field field, LocalizedText note, MessageSource messages, Locale locale) {
		if (field.min() == null || field.max() == null) {
			return null;
		}
		// the bounds the checks hold to: a value inside the range read here is never
		// refused
		String text = messages.getMessage("tabular.range",
				new Object[] { TabularErrorMessages.number(field.min(), locale),
						TabularErrorMessages.quantity(field.max(), field.unit(locale), locale) },
				locale);
		return note == null ? text : text + " — " + note.in(locale);
	}

}
