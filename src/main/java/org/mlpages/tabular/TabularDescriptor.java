package org.mlpages.tabular;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mlpages.system.LocalizedText;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code name.yml} beside a tabular model ({@code name.onnx}): the form's fields, the
 * classes' names, which class the decision is about and from what probability. The
 * README's "Adding a tabular model" documents each key;
 * {@code java -jar mlpages.jar describe
 * name.onnx} writes a skeleton from the model's own inputs and classes.
 *
 * @param classes the model's classes and their names; every class the model gives
 * @param positive the class a two-class decision is about (by default the second)
 * @param threshold from what probability of the positive class it is decided (0.5 by
 * default); a model of more classes decides the most probable
 * @param costs instead of the threshold, what each kind of wrong decision costs: the
 * threshold follows
 * @param thresholdNote why the threshold is where it is, read under it
 * @param fields the form's questions, in the form's order
 * @param sections the form's questions in groups, each under its title (by default one
 * group of every field, untitled)
 * @param rangeNote said after each number's accepted range ("the range of the training
 * data, with some room")
 * @param examples rows to fill the form with ("Fill in an example"), by field name
 * @param order where the model's page comes in the menu
 */
public record TabularDescriptor(LocalizedText title, LocalizedText description, List<ClassText> classes,
		String positive, Double threshold, Costs costs, LocalizedText thresholdNote, List<Field> fields,
		List<Section> sections, LocalizedText rangeNote, List<Map<String, String>> examples,
		@DefaultValue("50") int order) {

	/**
	 * What a wrong two-class decision costs, in any unit, the same for both.
	 *
	 * @param falsePositive deciding the positive class for a row of the other (granting a
	 * credit that is not repaid)
	 * @param falseNegative deciding the other class for a row of the positive one
	 * (refusing a credit that would have been repaid)
	 */
	public record Costs(Double falsePositive, Double falseNegative) {

		/**
		 * The probability of the positive class from which deciding it costs less, on
		 * average, than deciding the other: {@code fp / (fp + fn)} for a model whose
		 * probabilities are calibrated.
		 */
		public double threshold() {
			return falsePositive / (falsePositive + falseNegative);
		}

	}

	/** A group of questions on the form, under its title. */
	public record Section(String en, String fr, List<String> fields) {

		public String title(Locale locale) {
			return en == null ? null : new LocalizedText(en, fr).in(locale);
		}

		public List<String> fieldList() {
			return fields == null ? List.of() : fields;
		}

	}

	/** What a person reads for one of the model's classes. */
	public record ClassText(String value, String en, String fr) {

		public String name(Locale locale) {
			return new LocalizedText(en != null ? en : value, fr).in(locale);
		}

	}

	/** The kinds of answers a form asks for. */
	public enum Kind {

		/** Any number within the bounds. */
		NUMBER,
		/** A whole number within the bounds. */
		INTEGER,
		/** One of the options. */
		CHOICE,
		/** Yes or no: true or false, or 1 or 0 for a numeric input. */
		YES_NO

	}

	/**
	 * One question of the form, and where its answer goes.
	 *
	 * @param name the form's field and the API's JSON key
	 * @param input the model input it feeds (by default the input of the same name)
	 * @param column for an input of several columns ({@code FLOAT[N, k]}), which one
	 * (from 0)
	 * @param min smallest accepted number, or null
	 * @param max largest accepted number, or null
	 * @param options for a choice: the values the model takes and their words
	 * @param baseline the answer's usual value (the training median, or the most frequent
	 * one): explanations say how much replacing the answer by it changes the decision
	 */
	public record Field(String name, String input, Integer column, Kind kind, String en, String fr, String helpEn,
			String helpFr, String unitEn, String unitFr, Double min, Double max, List<Option> options,
			String baseline) {

		public String inputName() {
			return input != null && !input.isBlank() ? input : name;
		}

		public String label(Locale locale) {
			return new LocalizedText(en != null ? en : name, fr).in(locale);
		}

		public String help(Locale locale) {
			return helpEn == null ? null : new LocalizedText(helpEn, helpFr).in(locale);
		}

		public String unit(Locale locale) {
			return unitEn == null ? null : new LocalizedText(unitEn, unitFr).in(locale);
		}

		public List<Option> optionList() {
			return options == null ? List.of() : options;
		}

		/** A choice's words for one of its values; the value when it has none. */
		public String optionName(String value, Locale locale) {
			return optionList().stream()
				.filter(option -> option.value().equals(value))
				.findFirst()
				.map(option -> option.name(locale))
				.orElse(value);
		}

	}

	/** One value a choice offers, as the model takes it, and its words. */
	public record Option(String value, String en, String fr) {

		public String name(Locale locale) {
			return new LocalizedText(en != null ? en : value, fr).in(locale);
		}

	}

	public List<ClassText> classList() {
		return classes == null ? List.of() : classes;
	}

	public List<Field> fieldList() {
		return fields == null ? List.of() : fields;
	}

	public List<Section> sectionList() {
		return sections == null ? List.of() : sections;
	}

}
