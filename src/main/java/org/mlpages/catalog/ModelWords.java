package org.mlpages.catalog;

import java.util.List;
import java.util.Locale;

import org.springframework.stereotype.Component;

/**
 * What every model's answers and title read as in the reader's language, for pages that
 * list predictions of several models (the history). An answer or a model no feature knows
 * any more (a model removed since) is shown as it was logged.
 */
@Component
public class ModelWords {

	private final List<ModelCatalog> catalogs;

	ModelWords(List<ModelCatalog> catalogs) {
		this.catalogs = catalogs;
	}

	public String label(String model, String label, Locale locale) {
		if (label == null) {
			return null;
		}
		return catalogs.stream()
			.flatMap(catalog -> catalog.labelName(model, label, locale).stream())
			.findFirst()
			.orElse(label);
	}

	/**
	 * Whether the answer is named by a model served now; if not, it is shown as it was
	 * logged, as data rather than words of the page (HTML's {@code translate="no"}).
	 */
	public boolean isNamed(String model, String label) {
		return label != null
				&& catalogs.stream().anyMatch(catalog -> catalog.labelName(model, label, Locale.ENGLISH).isPresent());
	}

	/** An answer of whichever model gives it, for lists that mix models (a filter). */
	public String label(String label, Locale locale) {
		return label(null, label, locale);
	}

	/** A model's title as its page has it, or its name. */
	public String title(String model, Locale locale) {
		return catalogs.stream().flatMap(catalog -> catalog.title(model, locale).stream()).findFirst().orElse(model);
	}

}
