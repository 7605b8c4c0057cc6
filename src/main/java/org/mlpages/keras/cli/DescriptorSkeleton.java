package org.mlpages.keras.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.mlpages.keras.ImportedModel;

/**
 * The descriptor (YAML) a data person completes to serve an image model: what the model
 * says about itself is filled in (input size and channels, whether it rescales its input,
 * output kind and number of classes), what it cannot say is left to fill (titles, label
 * names, the scaling it was trained with). The fields are those of the README's "Adding a
 * model".
 */
final class DescriptorSkeleton {

	private DescriptorSkeleton() {
	}

	static String of(Path modelFile, ImportedModel model) {
		String name = modelFile.getFileName().toString();
		String base = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
		long[] shape = model.inputShape();
		StringBuilder y = new StringBuilder();
		y.append("# Descriptor of ")
			.append(name)
			.append(", from the model itself (")
			.append(model.format())
			.append(", Keras ")
			.append(model.kerasVersion())
			.append(").\n# Fill in what is marked TODO, then save it as ")
			.append(base)
			.append(".yml beside the model.\n");
		y.append("title:\n  en: TODO\n  fr: TODO\n");
		y.append("description:\n  en: TODO\n  fr: TODO\n");

		int units = model.outputSize();
		String activation = model.outputActivation();
		int labels = units == 1 ? 2 : Math.max(units, 0);
		y.append("# In the model's output order");
		if (units == 1) {
			y.append(": one ")
				.append(activation == null ? "output" : activation)
				.append(" unit decides between two labels;\n# with Keras's flow_from_directory")
				.append(" the classes are the folders sorted by name");
		}
		else {
			y.append(" (").append(units).append(" outputs)");
		}
		y.append(".\nlabels:\n");
		for (int i = 0; i < labels; i++) {
			y.append("  - id: TODO_").append(i).append("\n    en: TODO\n    fr: TODO\n");
		}

		y.append("input:\n");
		long height = shape.length >= 3 ? shape[1] : -1;
		long width = shape.length >= 3 ? shape[2] : -1;
		if (height > 0 && width > 0) {
			y.append("  width: ")
				.append(width)
				.append("        # the model's input ")
				.append(shape(shape))
				.append('\n');
			y.append("  height: ").append(height).append('\n');
		}
		else {
			y.append("  width: TODO      # the model's input is ")
				.append(shape(shape))
				.append(": say the picture size it was trained on\n  height: TODO\n");
		}
		y.append("  resize: center-crop   # or stretch, as the training photos were fitted\n");
		if (shape.length == 4) {
			y.append(shape[3] == 1 ? "  color: grey           # 1 channel\n"
					: "  color: rgb            # 3 channels; bgr if it was trained on OpenCV's imread\n");
		}
		else if (shape.length == 3) {
			y.append("  color: grey           # one value per pixel\n");
		}
		else {
			y.append("  color: TODO           # grey or rgb: ")
				.append(shape.length == 2 ? shape[1] + " values per example" : "")
				.append('\n');
		}
		if (model.inputRescaling() != null) {
			y.append("  # the model rescales its input itself (")
				.append(model.inputRescaling())
				.append("): no scale or offset here\n");
		}
		else {
			y.append("  scale: 0.00392156863  # TODO: the scaling it was trained with (1/255 -> 0..1;")
				.append(" 1/127.5 with offset -1 -> -1..1)\n  offset: 0\n");
		}
		String output = activation == null ? null : switch (activation) {
			case "softmax", "sigmoid" -> activation;
			case "linear" -> "logits";
			default -> null;
		};
		if (output != null) {
			y.append("output: ").append(output).append("         # the model's last activation\n");
		}
		else {
			y.append("output: TODO           # softmax, sigmoid or logits: the model's last activation is ")
				.append(activation == null ? "unknown" : activation)
				.append('\n');
		}
		if (units == 1) {
			y.append("positive: TODO_1       # the label the unit is the probability of\n");
		}
		return y.toString();
	}

	private static String shape(long[] shape) {
		StringBuilder sb = new StringBuilder("[");
		for (int i = 0; i < shape.length; i++) {
			sb.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "None" : String.format(Locale.ROOT, "%d", shape[i]));
		}
		return sb.append(']').toString();
	}

}
