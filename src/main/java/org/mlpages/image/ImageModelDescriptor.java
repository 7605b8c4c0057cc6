package org.mlpages.image;

import java.text.NumberFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.mlpages.image.photo.Preprocessing;
import org.mlpages.image.photo.ResizeMode;
import org.mlpages.system.LocalizedText;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.MessageSource;

/**
 * The {@code name.yml} a data person writes next to {@code name.h5}: how to show the
 * model and how to feed it. The README documents each field.
 */
public record ImageModelDescriptor(LocalizedText title, LocalizedText description, List<Label> labels,
		@DefaultValue Input input, @DefaultValue("50") int order, LocalizedText accuracy, String output,
		String positive) {

	/** One class the model outputs, in output order. */
	public record Label(String id, String en, String fr) {

		public String displayName(Locale locale) {
			return new LocalizedText(en != null ? en : id, fr).in(locale);
		}

	}

	/**
	 * How a photo becomes the model's input tensor. Unset fields are read from the model
	 * ({@link ImageModelIo}): its input size and channels, and whether it rescales its
	 * input itself.
	 */
	public record Input(Integer width, Integer height, @DefaultValue("center-crop") ResizeMode resize, Float scale,
			Float offset, String color, List<Float> mean, List<Float> std) {

		/**
		 * For the model card, in the reader's words: "centre crop to 224×224 RGB, each
		 * value v becomes v × 0.00784 − 1".
		 */
		static String summary(Preprocessing input, MessageSource messages, Locale locale) {
			NumberFormat number = NumberFormat.getNumberInstance(locale);
			number.setMaximumFractionDigits(6);
			String text = messages.getMessage("model.preprocessing.value",
					new Object[] { messages.getMessage("model.resize." + input.mode().name(), null, locale),
							String.valueOf(input.width()), String.valueOf(input.height()), number.format(input.scale()),
							input.offset() < 0 ? "−" : "+", number.format(Math.abs(input.offset())),
							messages.getMessage("model.color." + input.color().name(), null, locale) },
					locale);
			if (input.mean().length > 0 || input.std().length > 0) {
				text = messages.getMessage("model.preprocessing.normalised",
						new Object[] { text, numbers(input.mean(), number, "0"), numbers(input.std(), number, "1") },
						locale);
			}
			return text;
		}

		private static String numbers(float[] values, NumberFormat number, String none) {
			if (values.length == 0) {
				return none;
			}
			List<String> out = new java.util.ArrayList<>();
			for (float v : values) {
				out.add(number.format(v));
			}
			return String.join(" ; ", out);
		}

	}

	public List<String> labelIds() {
		return labels.stream().map(Label::id).toList();
	}

	/**
	 * Checks what the binder cannot; the message names the field so the data person can
	 * fix the file.
	 */
	void validate() {
		if (title == null || title.en() == null || title.en().isBlank()) {
			throw new InvalidDescriptorException("title.en is required");
		}
		if (labels == null || labels.size() < 2) {
			throw new InvalidDescriptorException("labels must list at least two classes, in the model's output order");
		}
		Set<String> ids = new HashSet<>();
		for (Label label : labels) {
			if (label.id() == null || label.id().isBlank()) {
				throw new InvalidDescriptorException("every label needs an id");
			}
			if (!ids.add(label.id())) {
				throw new InvalidDescriptorException("label id '" + label.id() + "' appears twice");
			}
		}
		for (Integer size : java.util.Arrays.asList(input.width(), input.height())) {
			if (size != null && (size < 1 || size > 4096)) {
				throw new InvalidDescriptorException("input.width and input.height must be between 1 and 4096");
			}
		}
		if ((input.scale() != null && !Float.isFinite(input.scale()))
				|| (input.offset() != null && !Float.isFinite(input.offset()))) {
			throw new InvalidDescriptorException("input.scale and input.offset must be numbers");
		}
		ImageModelIo.colorOf(input.color());
		ImageModelIo.outputOf(output);
		if (positive != null && !ids.contains(positive)) {
			throw new InvalidDescriptorException("positive names the label a single sigmoid output stands for, one of "
					+ labelIds() + "; '" + positive + "' is not among them");
		}
	}

	/**
	 * A descriptor that cannot serve as it is. The message is English, for the log; where
	 * a page describes the model ("Add a model"), the refusals a person can meet there
	 * also carry a code and arguments, to be said in the reader's language.
	 */
	public static class InvalidDescriptorException extends RuntimeException {

		private final String code;

		private final List<Object> arguments;

		InvalidDescriptorException(String message) {
			this(message, (Throwable) null);
		}

		InvalidDescriptorException(String message, Throwable cause) {
			super(message, cause);
			this.code = null;
			this.arguments = List.of();
		}

		InvalidDescriptorException(String code, String message, Object... arguments) {
			super(message);
			this.code = code;
			this.arguments = List.of(arguments);
		}

		/** What kind of contradiction this is, or null when only the message says it. */
		public String code() {
			return code;
		}

		public List<Object> arguments() {
			return arguments;
		}

	}

}
