package org.mlpages.tabular;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.mlpages.onnx.OnnxClassifier;
import org.mlpages.onnx.OnnxClassifier.Input;
import org.mlpages.onnx.OnnxClassifier.ValueType;
import org.mlpages.tabular.TabularDescriptor.Field;
import org.mlpages.tabular.TabularDescriptor.Kind;
import org.mlpages.tabular.TabularDescriptor.Option;

/**
 * A tabular model's answers from an ONNX file, through ONNX Runtime: each field's answer
 * goes to the model input the descriptor names (or to one column of it), as the type that
 * input takes.
 */
public final class OnnxEngine implements TabularEngine {

	private final OnnxClassifier classifier;

	private final List<Field> fields;

	/** Each field's input, read for every answer of every request. */
	private final Map<String, Input> inputsByField;

	private OnnxEngine(OnnxClassifier classifier, List<Field> fields, Map<String, Input> inputsByField) {
		this.classifier = classifier;
		this.fields = fields;
		this.inputsByField = inputsByField;
	}

	/**
	 * The model's inputs filled by the descriptor's fields: every input (and each of its
	 * columns) by exactly one field of a kind it takes.
	 * @param where the start of a refusal's reason ("in heart.yml, ")
	 * @throws InvalidTabularModelException for a descriptor that does not fit the model
	 */
	static OnnxEngine fit(OnnxClassifier classifier, TabularDescriptor descriptor, String where) {
		Map<String, Input> inputs = new LinkedHashMap<>();
		classifier.inputs().forEach(input -> inputs.put(input.name(), input));
		Map<String, Field> filled = new HashMap<>();
		Map<String, Input> inputsByField = new HashMap<>();
		for (Field field : descriptor.fieldList()) {
			String about = where + "field " + field.name() + ": ";
			Input input = inputs.get(field.inputName());
			if (input == null) {
				throw new InvalidTabularModelException(about + "it feeds the input " + field.inputName()
						+ ", which the model does not take (its inputs: " + classifier.describeInputs() + ")");
			}
			int column = field.column() == null ? 0 : field.column();
			if (input.width() > 1 && field.column() == null) {
				throw new InvalidTabularModelException(about + "the input " + input.name() + " holds " + input.width()
						+ " columns: say which this field is (column: 0 to " + (input.width() - 1) + ")");
			}
			if (column < 0 || column >= input.width()) {
				throw new InvalidTabularModelException(about + "column " + column + " is outside the input "
						+ input.name() + ", which holds " + input.width() + " column(s)");
			}
			Field other = filled.put(input.name() + "[" + column + "]", field);
			if (other != null) {
				throw new InvalidTabularModelException(about + "it feeds " + input.name()
						+ (input.width() > 1 ? " column " + column : "") + ", as the field " + other.name() + " does");
			}
			checkKind(field, input, about);
			inputsByField.put(field.name(), input);
		}
		for (Input input : classifier.inputs()) {
			for (int c = 0; c < input.width(); c++) {
				if (!filled.containsKey(input.name() + "[" + c + "]")) {
					throw new InvalidTabularModelException(where + "no field feeds the model's input " + input.name()
							+ (input.width() > 1 ? " column " + c : "") + " ("
							+ input.type().name().toLowerCase(Locale.ROOT) + ")");
				}
			}
		}
		return new OnnxEngine(classifier, descriptor.fieldList(), Map.copyOf(inputsByField));
	}

	private static void checkKind(Field field, Input input, String about) {
		boolean text = input.type() == ValueType.STRING;
		boolean bool = input.type() == ValueType.BOOL;
		switch (field.kind()) {
			case CHOICE -> {
				if (bool) {
					throw new InvalidTabularModelException(
							about + "the input " + input.name() + " takes true or false: make it a yes-no field");
				}
				for (Option option : field.optionList()) {
					if (!text && TabularModel.parseNumber(option.value()) == null) {
						throw new InvalidTabularModelException(about + "the input " + input.name() + " takes numbers ("
								+ input.type().name().toLowerCase(Locale.ROOT) + "), and the option " + option.value()
								+ " is not one");
					}
				}
			}
			case NUMBER, INTEGER, YES_NO -> {
				if (text) {
					throw new InvalidTabularModelException(about + "the input " + input.name()
							+ " takes text: make it a choice, with the values the model was trained on");
				}
				if (bool && field.kind() != Kind.YES_NO) {
					throw new InvalidTabularModelException(
							about + "the input " + input.name() + " takes true or false: make it a yes-no field");
				}
				boolean whole = input.type() == ValueType.INT64 || input.type() == ValueType.INT32;
				if (whole && field.kind() == Kind.NUMBER) {
					throw new InvalidTabularModelException(about + "the input " + input.name()
							+ " takes whole numbers: make it an integer field (1.7 would be cut to 1)");
				}
			}
		}
	}

	public OnnxClassifier classifier() {
		return classifier;
	}

	@Override
	public List<String> classes() {
		return classifier.classes();
	}

	@Override
	public List<Map<String, Double>> probabilities(List<Map<String, Object>> rows) {
		return classifier.predict(rows.stream().map(this::inputs).toList())
			.stream()
			.map(OnnxClassifier.Prediction::probabilities)
			.toList();
	}

	@Override
	public boolean linearInLogOdds() {
		return classifier.classes().size() == 2 && classifier.facts().linearInLogOdds();
	}

	@Override
	public double largestNumber(String field) {
		return switch (inputsByField.get(field).type()) {
			case INT32 -> Integer.MAX_VALUE;
			case INT64 -> 9.0e18;
			case FLOAT -> Float.MAX_VALUE;
			default -> Double.MAX_VALUE;
		};
	}

	/** The model's inputs filled from the fields: one value, or a row of columns. */
	private Map<String, Object> inputs(Map<String, Object> values) {
		Map<String, Object> row = new LinkedHashMap<>();
		Map<String, TreeMap<Integer, Object>> columns = new LinkedHashMap<>();
		for (Field field : fields) {
			Input input = inputsByField.get(field.name());
			Object value = as(input.type(), values.get(field.name()));
			if (input.width() == 1) {
				row.put(input.name(), value);
			}
			else {
				columns.computeIfAbsent(input.name(), k -> new TreeMap<>()).put(field.column(), value);
			}
		}
		columns.forEach((input, byColumn) -> row.put(input, List.copyOf(byColumn.values())));
		return row;
	}

	/**
	 * An answer as the input's type takes it: a numeric option as its number, yes as 1.
	 */
	private static Object as(ValueType type, Object value) {
		if (value instanceof String option && type != ValueType.STRING) {
			return TabularModel.parseNumber(option);
		}
		if (value instanceof Boolean yes && type != ValueType.BOOL) {
			return yes ? 1 : 0;
		}
		return value;
	}

	@Override
	public void close() {
		classifier.close();
	}

}
