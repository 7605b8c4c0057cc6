package org.mlpages.tabular.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.AssertTrue;
import org.mlpages.catalog.NamedModelForm;
import org.mlpages.system.DescriptorYaml;

/**
 * What the administrator says about an uploaded tabular model: its name and titles, each
 * class's words, the decision's class and threshold, and for each of the model's columns
 * the question the form asks. One row per field, as parallel lists, the way the form
 * posts them. Becomes the model's descriptor (the README's "Adding a tabular model").
 */
public class TabularModelForm extends NamedModelForm {

	/** The model's classes, in its order (not edited: the model says them). */
	private List<String> classIds = new ArrayList<>();

	private List<String> classesEn = new ArrayList<>();

	private List<String> classesFr = new ArrayList<>();

	private String positive;

	/**
	 * The probability of the positive class from which it is decided, in percent (50, or
	 * 72,5 as a French reader writes it).
	 */
	private String threshold = "50";

	private List<String> fieldNames = new ArrayList<>();

	/** Which input and column each field feeds (not edited: the model says them). */
	private List<String> fieldInputs = new ArrayList<>();

	private List<Integer> fieldColumns = new ArrayList<>();

	private List<String> fieldKinds = new ArrayList<>();

	private List<String> fieldLabelsEn = new ArrayList<>();

	private List<String> fieldLabelsFr = new ArrayList<>();

	private List<String> fieldMins = new ArrayList<>();

	private List<String> fieldMaxs = new ArrayList<>();

	/** For a choice, one option per line: {@code value | English | French}. */
	private List<String> fieldOptions = new ArrayList<>();

	private List<String> fieldBaselines = new ArrayList<>();

	/** A row to try, by field name. */
	private Map<String, String> row = new LinkedHashMap<>();

	/** The descriptor; blank words fall back to the value they name. */
	String toYaml() {
		Map<String, Object> d = new LinkedHashMap<>();
		d.put("title", title());
		List<Map<String, Object>> classes = new ArrayList<>();
		for (int i = 0; i < classIds.size(); i++) {
			Map<String, Object> c = new LinkedHashMap<>();
			c.put("value", classIds.get(i));
			String en = at(classesEn, i);
			c.put("en", en.isBlank() ? classIds.get(i) : en);
			String fr = at(classesFr, i);
			c.put("fr", fr.isBlank() ? c.get("en") : fr);
			classes.add(c);
		}
		d.put("classes", classes);
		if (positive != null && !positive.isBlank()) {
			d.put("positive", positive);
		}
		if (classIds.size() == 2 && threshold != null && !threshold.isBlank()) {
			Object percent = number(threshold);
			d.put("threshold", percent instanceof Double p ? p / 100 : percent);
		}
		List<Map<String, Object>> fields = new ArrayList<>();
		for (int i = 0; i < fieldNames.size(); i++) {
			Map<String, Object> f = new LinkedHashMap<>();
			f.put("name", at(fieldNames, i));
			f.put("input", at(fieldInputs, i));
			if (i < fieldColumns.size() && fieldColumns.get(i) != null) {
				f.put("column", fieldColumns.get(i));
			}
			f.put("kind", at(fieldKinds, i));
			String en = at(fieldLabelsEn, i);
			f.put("en", en.isBlank() ? at(fieldNames, i) : en);
			String fr = at(fieldLabelsFr, i);
			if (!fr.isBlank()) {
				f.put("fr", fr);
			}
			if (!at(fieldMins, i).isBlank()) {
				f.put("min", number(at(fieldMins, i)));
			}
			if (!at(fieldMaxs, i).isBlank()) {
				f.put("max", number(at(fieldMaxs, i)));
			}
			List<Map<String, String>> options = options(at(fieldOptions, i));
			if (!options.isEmpty()) {
				f.put("options", options);
			}
			if (!at(fieldBaselines, i).isBlank()) {
				f.put("baseline", at(fieldBaselines, i));
			}
			fields.add(f);
		}
		d.put("fields", fields);
		return DescriptorYaml.write(d, "Adding a tabular model");
	}

	/**
	 * Every list as long as the rows it describes, for a form posted with some left out
	 * (a crafted request, a field the browser did not send).
	 */
	void pad() {
		int fields = fieldNames.size();
		for (List<String> list : List.of(fieldInputs, fieldKinds, fieldLabelsEn, fieldLabelsFr, fieldMins, fieldMaxs,
				fieldOptions, fieldBaselines)) {
			while (list.size() < fields) {
				list.add("");
			}
		}
		while (fieldColumns.size() < fields) {
			fieldColumns.add(null);
		}
		for (List<String> list : List.of(classesEn, classesFr)) {
			while (list.size() < classIds.size()) {
				list.add("");
			}
		}
	}

	/** {@code value | English | French}, one per line; the words may be left out. */
	static List<Map<String, String>> options(String text) {
		List<Map<String, String>> options = new ArrayList<>();
		for (String line : text.split("\\R")) {
			if (line.isBlank()) {
				continue;
			}
			String[] parts = line.split("\\|", -1);
			Map<String, String> option = new LinkedHashMap<>();
			option.put("value", parts[0].strip());
			if (parts.length > 1 && !parts[1].isBlank()) {
				option.put("en", parts[1].strip());
			}
			if (parts.length > 2 && !parts[2].isBlank()) {
				option.put("fr", parts[2].strip());
			}
			options.add(option);
		}
		return options;
	}

	/** A number as the reader wrote it (0,5 or 0.5), or the text when it is none. */
	private static Object number(String text) {
		Double number = org.mlpages.tabular.TabularModel.parseNumber(text);
		// what is no finite number stays text, which the descriptor's check refuses
		return number != null ? number : text.strip();
	}

	private static String at(List<String> values, int i) {
		return i < values.size() && values.get(i) != null ? values.get(i).strip() : "";
	}

	public List<String> getClassIds() {
		return classIds;
	}

	public void setClassIds(List<String> classIds) {
		this.classIds = classIds;
	}

	public List<String> getClassesEn() {
		return classesEn;
	}

	public void setClassesEn(List<String> classesEn) {
		this.classesEn = classesEn;
	}

	public List<String> getClassesFr() {
		return classesFr;
	}

	public void setClassesFr(List<String> classesFr) {
		this.classesFr = classesFr;
	}

	public String getPositive() {
		return positive;
	}

	public void setPositive(String positive) {
		this.positive = positive;
	}

	public String getThreshold() {
		return threshold;
	}

	public void setThreshold(String threshold) {
		this.threshold = threshold;
	}

	/** Publishing under the name of a tabular model served replaces it. */
	private boolean replace;

	public boolean isReplace() {
		return replace;
	}

	public void setReplace(boolean replace) {
		this.replace = replace;
	}

	/**
	 * The threshold as the form asks for it: a percentage strictly between 0 and 100
	 * (left empty, 50), for a model of two classes.
	 */
	@AssertTrue(message = "{addmodel.tabular.threshold.percent}")
	public boolean isThresholdAPercentage() {
		if (classIds.size() != 2 || threshold == null || threshold.isBlank()) {
			return true;
		}
		Double percent = org.mlpages.tabular.TabularModel.parseNumber(threshold);
		return percent != null && percent > 0 && percent < 100;
	}

	public List<String> getFieldNames() {
		return fieldNames;
	}

	public void setFieldNames(List<String> fieldNames) {
		this.fieldNames = fieldNames;
	}

	public List<String> getFieldInputs() {
		return fieldInputs;
	}

	public void setFieldInputs(List<String> fieldInputs) {
		this.fieldInputs = fieldInputs;
	}

	public List<Integer> getFieldColumns() {
		return fieldColumns;
	}

	public void setFieldColumns(List<Integer> fieldColumns) {
		this.fieldColumns = fieldColumns;
	}

	public List<String> getFieldKinds() {
		return fieldKinds;
	}

	public void setFieldKinds(List<String> fieldKinds) {
		this.fieldKinds = fieldKinds;
	}

	public List<String> getFieldLabelsEn() {
		return fieldLabelsEn;
	}

	public void setFieldLabelsEn(List<String> fieldLabelsEn) {
		this.fieldLabelsEn = fieldLabelsEn;
	}

	public List<String> getFieldLabelsFr() {
		return fieldLabelsFr;
	}

	public void setFieldLabelsFr(List<String> fieldLabelsFr) {
		this.fieldLabelsFr = fieldLabelsFr;
	}

	public List<String> getFieldMins() {
		return fieldMins;
	}

	public void setFieldMins(List<String> fieldMins) {
		this.fieldMins = fieldMins;
	}

	public List<String> getFieldMaxs() {
		return fieldMaxs;
	}

	public void setFieldMaxs(List<String> fieldMaxs) {
		this.fieldMaxs = fieldMaxs;
	}

	public List<String> getFieldOptions() {
		return fieldOptions;
	}

	public void setFieldOptions(List<String> fieldOptions) {
		this.fieldOptions = fieldOptions;
	}

	public List<String> getFieldBaselines() {
		return fieldBaselines;
	}

	public void setFieldBaselines(List<String> fieldBaselines) {
		this.fieldBaselines = fieldBaselines;
	}

	public Map<String, String> getRow() {
		return row;
	}

	public void setRow(Map<String, String> row) {
		this.row = row;
	}

}
