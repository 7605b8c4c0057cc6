package org.mlpages.system;

import java.util.Locale;

/** A text a model's descriptor gives in English and, optionally, French. */
public record LocalizedText(String en, String fr) {

	public String in(Locale locale) {
		if (fr != null && !fr.isBlank() && Locale.FRENCH.getLanguage().equals(locale.getLanguage())) {
			return fr;
		}
		return en;
	}

}
