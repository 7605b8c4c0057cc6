package org.mlpages.image;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.mlpages.image.ImageModelDescriptor.InvalidDescriptorException;
import org.mlpages.image.photo.ColorOrder;
import org.mlpages.image.photo.Preprocessing;
import org.mlpages.keras.ImportedModel;

/**
 * How photos go into one model and its answer comes out as one probability per label: the
 * descriptor's settings completed by what the model itself says (its input size and
 * channels, whether it rescales its input, the activation of its output), and refused
 * with a sentence where the two disagree.
 *
 * @param preprocessing how a photo becomes one input
 * @param inputRank the rank of the model's input: 4 for NHWC, 3 for H x W (grey), 2 for a
 * flat vector
 * @param output what the model's output values are
 * @param positiveLabel for a model with one output unit, the index of the label it stands
 * for (the other label gets 1 - p); -1 otherwise
 */
record ImageModelIo(Preprocessing preprocessing, int inputRank, Output output, int positiveLabel) {

	/** What a model's output values are. */
	enum Output {

		/** One probability per label, summing to 1. */
		SOFTMAX,
		/** One unit: the probability of the positive label. */
		SIGMOID,
		/** Raw scores: softmax over several units, the sigmoid of one. */
		LOGITS

	}

	/** Values in 0..1 for a model that does not rescale its input itself. */
	private static final float DEFAULT_SCALE = 1f / 255f;

	static ImageModelIo resolve(ImageModelDescriptor descriptor, ImportedModel model) {
		ImageModelDescriptor.Input input = descriptor.input();
		long[] shape = model.inputShape();
		int rank = shape.length;
		ColorOrder declared = colorOf(input.color());
		long modelHeight = -1;
		long modelWidth = -1;
		ColorOrder color;
		switch (rank) {
			case 4 -> {
				modelHeight = shape[1];
				modelWidth = shape[2];
				if (shape[3] != 1 && shape[3] != 3) {
					throw new InvalidDescriptorException("the model's input is " + Arrays.toString(shape) + ": "
							+ shape[3] + " channels per pixel, where a photo gives 3 (colour) or 1 (grey)");
				}
				ColorOrder fromModel = shape[3] == 1 ? ColorOrder.GREY : ColorOrder.RGB;
				if (declared != null && declared.channels() != shape[3]) {
					throw new InvalidDescriptorException("color", "the model takes " + channels(shape[3])
							+ " but the descriptor says color: " + name(declared), shape[3], declared);
				}
				color = declared != null ? declared : fromModel;
			}
			case 3 -> {
				modelHeight = shape[1];
				modelWidth = shape[2];
				if (declared != null && declared != ColorOrder.GREY) {
					throw new InvalidDescriptorException("color",
							"the model's input is " + Arrays.toString(shape)
									+ ", one grey value per pixel, but the descriptor says color: " + name(declared),
							1, declared);
				}
				color = ColorOrder.GREY;
			}
			case 2 -> color = declared;
			default -> throw new InvalidDescriptorException("the model's input is " + Arrays.toString(shape)
					+ ", not a batch of images (NHWC), of grey H x W pictures or of flat vectors");
		}
		int height = size(input.height(), modelHeight, "height", shape);
		int width = size(input.width(), modelWidth, "width", shape);
		if (rank == 2) {
			color = flatColor(color, width, height, shape);
		}

		float scale;
		float offset;
		if (model.inputRescaling() != null) {
			boolean explicit = (input.scale() != null && input.scale() != 1f)
					|| (input.offset() != null && input.offset() != 0f);
			if (explicit) {
				throw new InvalidDescriptorException("rescaled-twice",
						"the model rescales its input itself (layer " + model.inputRescaling()
								+ "): remove input.scale and input.offset from the descriptor, or"
								+ " the photo would be rescaled twice",
						model.inputRescaling());
			}
			scale = 1f;
			offset = 0f;
		}
		else {
			scale = input.scale() != null ? input.scale() : DEFAULT_SCALE;
			offset = input.offset() != null ? input.offset() : 0f;
		}
		Preprocessing preprocessing;
		try {
			preprocessing = new Preprocessing(input.resize(), width, height, scale, offset, color, floats(input.mean()),
					floats(input.std()));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidDescriptorException("input: " + ex.getMessage());
		}

		Output output = output(descriptor, model);
		int labels = descriptor.labels().size();
		int units = model.outputSize();
		int positive = -1;
		if (units == 1) {
			if (output == Output.SOFTMAX) {
				throw new InvalidDescriptorException("one-unit-output",
						"the model has one output unit"
								+ (model.outputActivation() == null ? " and no activation it can be told by"
										: " ending in " + model.outputActivation())
								+ ": say in the descriptor whether it is a probability (output: sigmoid) or a raw score"
								+ " (output: logits)");
			}
			if (labels != 2) {
				throw new InvalidDescriptorException("one-unit-labels", "the model has one output unit (the"
						+ " probability of one class), so the descriptor lists the two labels it decides between, not "
						+ labels, labels);
			}
			positive = descriptor.positive() == null ? 1 : descriptor.labelIds().indexOf(descriptor.positive());
		}
		else if (output == Output.SIGMOID) {
			throw new InvalidDescriptorException("multi-label",
					"the model has " + units + " sigmoid outputs, one"
							+ " independent probability per class (multi-label), which a page does not show yet",
					units);
		}
		else if (units != labels) {
			throw new InvalidDescriptorException("outputs-labels",
					"the model has " + units + " outputs but the descriptor lists " + labels + " labels", units,
					labels);
		}
		return new ImageModelIo(preprocessing, rank, output, positive);
	}

	/**
	 * The descriptor's {@code output}, or the model's own last activation; refused where
	 * they disagree.
	 */
	private static Output output(ImageModelDescriptor descriptor, ImportedModel model) {
		Output declared = outputOf(descriptor.output());
		String activation = model.outputActivation();
		Output fromModel = activation == null ? null : switch (activation) {
			case "softmax" -> Output.SOFTMAX;
			case "sigmoid" -> Output.SIGMOID;
			case "linear" -> Output.LOGITS;
			default -> null;
		};
		if (declared == null) {
			if (fromModel == null && activation != null) {
				throw new InvalidDescriptorException("activation", "the model's last activation is " + activation
						+ ", not a probability: say in the descriptor what its outputs are (output: softmax, sigmoid or"
						+ " logits)", activation);
			}
			return fromModel == null ? Output.SOFTMAX : fromModel;
		}
		if (fromModel != null && fromModel != declared) {
			throw new InvalidDescriptorException("output-contradicted", "the descriptor says output: " + name(declared)
					+ " but the model's last activation is " + activation, name(declared), activation);
		}
		return declared;
	}

	private static int size(Integer declared, long fromModel, String name, long[] shape) {
		if (declared != null && fromModel > 0 && declared != fromModel) {
			throw new InvalidDescriptorException("the model's input is " + Arrays.toString(shape) + ": " + name + " "
					+ fromModel + ", but the descriptor says input." + name + ": " + declared);
		}
		if (declared != null) {
			return declared;
		}
		if (fromModel > 0) {
			return Math.toIntExact(fromModel);
		}
		throw new InvalidDescriptorException("any-size",
				"the model takes pictures of any " + name + ": say which in the" + " descriptor (input." + name + ")");
	}

	/** A flat input of N values is a grey or a colour picture of width x height. */
	private static ColorOrder flatColor(ColorOrder declared, int width, int height, long[] shape) {
		long values = shape[1];
		long pixels = (long) width * height;
		if (declared != null) {
			if (values > 0 && values != pixels * declared.channels()) {
				throw new InvalidDescriptorException("flat-size",
						"the model's input is " + values + " values, not the " + pixels * declared.channels() + " of a "
								+ width + "x" + height + " " + name(declared) + " picture",
						values, width, height, declared.channels());
			}
			return declared;
		}
		if (values == pixels) {
			return ColorOrder.GREY;
		}
		if (values == pixels * 3) {
			return ColorOrder.RGB;
		}
		throw new InvalidDescriptorException("flat-size",
				"the model's input is " + values + " values, which is neither a " + width + "x" + height
						+ " grey picture (" + pixels + ") nor a colour one (" + pixels * 3 + ")",
				values, width, height, 0);
	}

	/**
	 * {@code rgb}, {@code bgr}, {@code grey} (or {@code gray}, {@code grayscale}); null
	 * if unset.
	 */
	static ColorOrder colorOf(String color) {
		if (color == null || color.isBlank()) {
			return null;
		}
		return switch (color.trim().toLowerCase(Locale.ROOT)) {
			case "rgb" -> ColorOrder.RGB;
			case "bgr" -> ColorOrder.BGR;
			case "grey", "gray", "grayscale", "greyscale", "l" -> ColorOrder.GREY;
			default ->
				throw new InvalidDescriptorException("input.color is rgb, bgr or grey, not '" + color.trim() + "'");
		};
	}

	/** {@code softmax}, {@code sigmoid}, {@code logits}; null if unset. */
	static Output outputOf(String output) {
		if (output == null || output.isBlank()) {
			return null;
		}
		return switch (output.trim().toLowerCase(Locale.ROOT)) {
			case "softmax" -> Output.SOFTMAX;
			case "sigmoid" -> Output.SIGMOID;
			case "logits", "linear" -> Output.LOGITS;
			default -> throw new InvalidDescriptorException(
					"output is softmax, sigmoid or logits, not '" + output.trim() + "'");
		};
	}

	private static float[] floats(List<Float> values) {
		if (values == null) {
			return new float[0];
		}
		float[] out = new float[values.size()];
		for (int i = 0; i < out.length; i++) {
			out[i] = values.get(i);
		}
		return out;
	}

	private static String channels(long n) {
		return n == 1 ? "1 channel (grey)" : n + " channels (colour)";
	}

	private static String name(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

}
