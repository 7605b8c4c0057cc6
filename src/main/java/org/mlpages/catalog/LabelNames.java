package org.mlpages.catalog;

import java.util.List;
import java.util.Locale;

import org.springframework.stereotype.Component;

/**
 * The answers of every model as a person reads them, for pages that list predictions of
 * several models (the history). An answer no model names any more (a model removed since)
 * is shown as it was logged.
 */
@Component
public class LabelNames {

	private final List<ModelCatalog> catalogs;

	LabelNames(List<ModelCatalog> catalogs) {
		this.catalogs = catalogs;
	}

	public String of(String model, String label, Locale locale) {
		if (label == null) {
			return null;
		}
		return catalogs.stream()
			.flatMap(catalog -> catalog.labelName(model, label, locale).stream())
			.findFirst()
			.orElse(label);
	}

	/** An answer of whichever model gives it, for lists that mix models (a filter). */
	public String of(String label, Locale locale) {
		return catalogs.stream()
			.flatMap(catalog -> catalog.modelCards(locale)
				.stream()
				.flatMap(card -> catalog.labelName(card.name(), label, locale).stream()))
			.findFirst()
			.orElse(label);
	}

}
