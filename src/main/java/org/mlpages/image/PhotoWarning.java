package org.mlpages.image;

import java.util.List;
import java.util.Locale;

import org.mlpages.image.photo.PhotoSizeCheck;
import org.mlpages.image.photo.Preprocessing;

import org.springframework.context.MessageSource;

/**
 * Something the reader of an answer should know about the photo it was made on, as the
 * result page shows it and the API returns it.
 *
 * @param code stable across languages, for API clients: "small", "elongated"
 * @param message the same in the reader's language
 */
record PhotoWarning(String code, String message) {

	/**
	 * The warnings for a photo of this size answered by this model; computed again from
	 * the size kept with the prediction, so that a reloaded result page still shows them.
	 */
	static List<PhotoWarning> of(ImageModel model, Integer width, Integer height, MessageSource messages,
			Locale locale) {
		if (width == null || height == null) {
			return List.of();
		}
		Preprocessing input = model.preprocessor().preprocessing();
		Object[] sizes = { String.valueOf(width), String.valueOf(height), String.valueOf(input.width()),
				String.valueOf(input.height()) };
		return PhotoSizeCheck.warnings(width, height, input)
			.stream()
			.map(warning -> new PhotoWarning(warning.code(),
					messages.getMessage("image.warning." + warning.code(), sizes, locale)))
			.toList();
	}

}
