package org.mlpages.catalog;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;

/** Every model of every feature, in name order. */
@Component
public class ModelCards {

	private final List<ModelCatalog> catalogs;

	ModelCards(List<ModelCatalog> catalogs) {
		this.catalogs = catalogs;
	}

	public List<ModelCard> all(Locale locale) {
		return catalogs.stream()
			.flatMap(catalog -> catalog.modelCards(locale).stream())
			.sorted(Comparator.comparing(ModelCard::name))
			.toList();
	}

	/** A model's state, whichever feature serves it; empty for a name none knows. */
	public Optional<ModelCard.Status> status(String model) {
		for (ModelCatalog catalog : catalogs) {
			Optional<ModelCard.Status> status = catalog.status(model);
			if (status.isPresent()) {
				return status;
			}
		}
		return Optional.empty();
	}

}
