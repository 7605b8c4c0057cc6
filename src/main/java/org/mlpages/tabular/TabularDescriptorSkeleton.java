package org.mlpages.tabular;

import java.nio.file.Path;
import java.util.List;

import org.mlpages.onnx.OnnxClassifier;
import org.mlpages.onnx.OnnxClassifier.Input;
import org.mlpages.onnx.OnnxClassifier.ValueType;

/**
 * The descriptor a data person completes to serve a tabular model
 * ({@code java -jar mlpages.jar describe model.onnx}), from what the model declares: one
 * field per column (an input of several columns gives one per column), a kind that fits
 * each input's type, the classes, ZipMap or not. What the model cannot say (words,
 * bounds, the options a text column takes, baselines) is marked TODO. The keys are the
 * README's "Adding a tabular model".
 */
public final class TabularDescriptorSkeleton {

	private TabularDescriptorSkeleton() {
	}

	public static String of(Path file, OnnxClassifier model) {
		String name = file.getFileName().toString();
		String base = name.substring(0, name.length() - ".onnx".length());
		StringBuilder y = new StringBuilder();
		y.append("# Descriptor of ").append(name).append(", from the model itself (").append(model.facts().producer());
		y.append("; inputs ").append(model.describeInputs()).append("; probabilities ");
		y.append(model.probabilities() == OnnxClassifier.Probabilities.ZIPMAP ? "as ZipMap" : "as a tensor");
		y.append(").\n# Fill in what is marked TODO, then save it as ").append(base).append(".yml beside the model.\n");
		y.append("title:\n  en: TODO\n  fr: TODO\n");
		y.append("description:\n  en: TODO\n  fr: TODO\n");
		y.append("# The model's classes, in its order, and their names.\nclasses:\n");
		for (String c : model.classes()) {
			y.append("  - { value: ").append(quoted(c)).append(", en: TODO, fr: TODO }\n");
		}
		List<String> classes = model.classes();
		if (classes.size() == 2) {
			y.append("# The class the decision is about, and from what probability it is decided.\n");
			y.append("positive: ").append(quoted(classes.get(1))).append("\nthreshold: 0.5\n");
		}
		y.append("# One question per column. kind: number, integer, choice (options: the values the model\n");
		y.append("# was trained on) or yes-no. baseline: the column's usual value (training median or most\n");
		y.append("# frequent), against which the page explains each answer; min and max bound the answers.\n");
		y.append("fields:\n");
		for (Input input : model.inputs()) {
			for (int column = 0; column < input.width(); column++) {
				String field = input.width() == 1 ? input.name() : input.name() + "_" + column;
				y.append("  - name: ").append(quoted(field)).append('\n');
				if (input.width() > 1) {
					y.append("    input: ")
						.append(quoted(input.name()))
						.append("\n    column: ")
						.append(column)
						.append('\n');
				}
				y.append("    kind: ").append(kind(input.type())).append('\n');
				y.append("    en: TODO\n    fr: TODO\n");
				if (input.type() == ValueType.STRING) {
					// quoted: YAML reads an unquoted yes or no as a boolean
					y.append("    options:\n      - { value: \"TODO\", en: TODO, fr: TODO }\n");
				}
				else if (input.type() != ValueType.BOOL) {
					y.append("    # min: TODO\n    # max: TODO\n");
				}
				y.append("    # baseline: TODO\n");
			}
		}
		y.append("# Rows that fill the form (\"Fill with an example\"), by field name.\nexamples: []\n");
		return y.toString();
	}

	private static String kind(ValueType type) {
		return switch (type) {
			case STRING -> "choice";
			case BOOL -> "yes-no";
			case INT64, INT32 -> "integer";
			case FLOAT, DOUBLE -> "number";
		};
	}

	private static String quoted(String value) {
		return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

}
