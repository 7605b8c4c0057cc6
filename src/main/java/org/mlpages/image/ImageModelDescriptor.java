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
		@DefaultValue Input input, @DefaultValue("50") int order, LocalizedText accuracy) {

	/** One class the model outputs, in output order. */
	public record Label(String id, String en, String fr) {

		public String displayName(Locale locale) {
			return new LocalizedText(en != null ? en : id, fr).in(locale);
		}

	}

	/** How a photo becomes the model's input tensor. */
	public record Input(@DefaultValue("224") int width, @DefaultValue("224") int height,
			@DefaultValue("center-crop") ResizeMode resize, @DefaultValue("0.00392156863") float scale,
			@DefaultValue("0") float offset) {

		Preprocessing preprocessing() {
			return new Preprocessing(resize, width, height, scale, offset);
		}

		/**
		 * For the model card, in the reader's words: "centre crop to 224×224 RGB, each
		 * value v becomes v × 0.00784 − 1".
		 */
		String summary(MessageSource messages, Locale locale) {
			NumberFormat number = NumberFormat.getNumberInstance(locale);
			number.setMaximumFractionDigits(6);
			return messages.getMessage("model.preprocessing.value",
					new Object[] { messages.getMessage("model.resize." + resize.name(), null, locale),
							String.valueOf(width), String.valueOf(height), number.format(scale), offset < 0 ? "−" : "+",
							number.format(Math.abs(offset)) },
					locale);
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
		if (input.width() < 1 || input.height() < 1 || input.width() > 4096 || input.height() > 4096) {
			throw new InvalidDescriptorException("input.width and input.height must be between 1 and 4096");
		}
		if (!Float.isFinite(input.scale()) || !Float.isFinite(input.offset())) {
			throw new InvalidDescriptorException("input.scale and input.offset must be numbers");
		}
	}

	/** A descriptor that cannot serve as it is. */
	public static class InvalidDescriptorException extends RuntimeException {

		InvalidDescriptorException(String message) {
			super(message);
		}

		InvalidDescriptorException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
