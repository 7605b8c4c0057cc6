package org.mlpages.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A feature that serves models: the about page, the API and the health check list what
 * each offers.
 */
public interface ModelCatalog {

	List<ModelCard> modelCards(Locale locale);

	/**
	 * An answer of one of this feature's models as a person reads it (a descriptor's
	 * French label, "accordé" for "granted"), or empty when the model or the answer is
	 * not this feature's.
	 * @param model the model that gave it, or null for whichever of this feature's models
	 * gives it
	 */
	default Optional<String> labelName(String model, String label, Locale locale) {
		return Optional.empty();
	}

	/**
	 * The state of this feature's model of that name, or empty when it has none: asked at
	 * each metrics scrape, so cheaper than building the cards.
	 */
	default Optional<ModelCard.Status> status(String model) {
		return modelCards(Locale.ROOT).stream()
			.filter(card -> card.name().equals(model))
			.map(ModelCard::status)
			.findFirst();
	}

	/** One of this feature's models by the title of its page, or empty. */
	default Optional<String> title(String model, Locale locale) {
		return Optional.empty();
	}

}
