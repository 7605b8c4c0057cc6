package org.mlpages.batch;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mlpages.system.InputRejectedException;
import org.mlpages.tabular.TabularDescriptor.Field;
import org.mlpages.tabular.TabularDescriptor.Kind;
import org.mlpages.tabular.TabularDescriptor.Option;
import org.mlpages.tabular.TabularModel;

import org.springframework.http.HttpStatus;

/**
 * Which column of a file holds which of a model's fields: a column is named as the field
 * ({@code credit_amount}) or as its label on the form, in English or in French
 * ({@code Credit amount}, {@code Montant du crédit}), whatever the case, accents and
 * spaces. A choice may be given by its value or by its words in either language. Columns
 * the model does not take are left alone (they are copied into the results).
 */
final class CaseColumns {

	private final List<Field> fields;

	/** For each field, in the descriptor's order, the index of its column. */
	private final int[] columnOfField;

	private CaseColumns(List<Field> fields, int[] columnOfField) {
		this.fields = fields;
		this.columnOfField = columnOfField;
	}

	/**
	 * @throws InputRejectedException naming the fields no column stands for
	 */
	static CaseColumns of(TabularModel model, List<String> header) {
		List<Field> fields = model.descriptor().fieldList();
		int[] columns = new int[fields.size()];
		List<String> missing = new ArrayList<>();
		for (int f = 0; f < fields.size(); f++) {
			columns[f] = columnOf(fields.get(f), header);
			if (columns[f] < 0) {
				missing.add(fields.get(f).name());
			}
		}
		if (!missing.isEmpty()) {
			throw new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "batch.rejected.missing-columns",
					"CSV file without columns for " + missing, String.join(", ", missing));
		}
		return new CaseColumns(fields, columns);
	}

	/** The answers a row gives, by field name, as the form would send them. */
	Map<String, String> answers(List<String> cells) {
		Map<String, String> answers = new LinkedHashMap<>();
		for (int f = 0; f < fields.size(); f++) {
			int column = columnOfField[f];
			String cell = column < cells.size() ? cells.get(column) : null;
			Field field = fields.get(f);
			answers.put(field.name(), field.kind() == Kind.CHOICE && cell != null ? optionValue(field, cell) : cell);
		}
		return answers;
	}

	private static int columnOf(Field field, List<String> header) {
		List<String> names = List.of(key(field.name()), key(field.label(Locale.ENGLISH)),
				key(field.label(Locale.FRENCH)));
		for (int i = 0; i < header.size(); i++) {
			if (names.contains(key(header.get(i)))) {
				return i;
			}
		}
		return -1;
	}

	/** The value of the option a cell names by its value or its words; else the cell. */
	private static String optionValue(Field field, String cell) {
		String wanted = key(cell);
		for (Option option : field.optionList()) {
			if (option.value().equals(cell.strip())) {
				return option.value();
			}
		}
		for (Option option : field.optionList()) {
			if (key(option.value()).equals(wanted) || key(option.name(Locale.ENGLISH)).equals(wanted)
					|| key(option.name(Locale.FRENCH)).equals(wanted)) {
				return option.value();
			}
		}
		return cell;
	}

	/** "Montant du crédit " and "montant_du_credit" alike. */
	private static String key(String name) {
		String plain = Normalizer.normalize(name.strip(), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
		return plain.toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", " ");
	}

}
