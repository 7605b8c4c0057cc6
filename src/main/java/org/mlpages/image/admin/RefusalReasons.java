package org.mlpages.image.admin;

import java.util.Locale;

import org.mlpages.image.ImageModelDescriptor.InvalidDescriptorException;
import org.mlpages.image.photo.ColorOrder;
import org.mlpages.keras.KerasImportException;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.support.DefaultMessageSourceResolvable;

/**
 * Why the importer refused a file, or a model its description: the importer and the
 * descriptor check speak English (for the log and the command line), and name the common
 * cases, which the page says in its reader's language ({@code keras.refused.*},
 * {@code descriptor.refused.*}). Any other case is shown in English, said to be.
 */
final class RefusalReasons {

	private RefusalReasons() {
	}

	/**
	 * @param keptName the name the file was kept under, which the importer's sentence
	 * uses
	 * @param sentName the name the administrator sent it under, which the page shows
	 */
	static MessageSourceResolvable of(KerasImportException ex, String keptName, String sentName) {
		String english = String.valueOf(ex.getMessage()).replace(keptName, sentName);
		if (ex.reason() == KerasImportException.Reason.OTHER) {
			return other("keras.refused.other", english);
		}
		Object[] arguments = ex.arguments().stream().map(argument -> argument.replace(keptName, sentName)).toArray();
		return new DefaultMessageSourceResolvable(new String[] { "keras.refused." + code(ex.reason()) }, arguments,
				english);
	}

	static MessageSourceResolvable of(InvalidDescriptorException ex) {
		String english = String.valueOf(ex.getMessage());
		if (ex.code() == null) {
			return other("descriptor.refused.other", english);
		}
		// a colour as the page's own select names it
		Object[] arguments = ex.arguments()
			.stream()
			.map(argument -> argument instanceof ColorOrder color
					? new DefaultMessageSourceResolvable("model.color." + color.name()) : argument)
			.toArray();
		return new DefaultMessageSourceResolvable(new String[] { "descriptor.refused." + ex.code() }, arguments,
				english);
	}

	/** A sentence no code names, said to be in English where the page is not. */
	static MessageSourceResolvable inEnglish(String english) {
		return other("descriptor.refused.other", english);
	}

	private static MessageSourceResolvable other(String code, String english) {
		return new DefaultMessageSourceResolvable(new String[] { code }, new Object[] { english }, english);
	}

	private static String code(Enum<?> reason) {
		return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
