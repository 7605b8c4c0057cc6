package org.mlpages.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Shown as {@code models} in {@code /actuator/health}: each model's state. While a model
 * found at start-up is still loading the app is out of service (503), even if another
 * model already serves: a load balancer must not send photos to a node that would make
 * them wait and then answer 503 itself. Once every model has loaded or failed, the app is
 * up while at least one serves; a model that failed to load is named with its reason but
 * does not take the other pages down.
 */
@Component("models")
class ModelsHealthIndicator implements HealthIndicator {

	private final ModelCards modelCards;

	ModelsHealthIndicator(ModelCards modelCards) {
		this.modelCards = modelCards;
	}

	@Override
	public Health health() {
		List<ModelCard> cards = modelCards.all(Locale.ENGLISH);
		Map<String, Object> details = new LinkedHashMap<>();
		for (ModelCard card : cards) {
			Map<String, Object> model = new LinkedHashMap<>();
			model.put("status", card.status().name());
			if (card.ready()) {
				model.put("sha256", card.sha256());
			}
			else if (card.error() != null) {
				model.put("error", card.error());
			}
			details.put(card.name(), model);
		}
		boolean anyReady = cards.stream().anyMatch(ModelCard::ready);
		boolean anyLoading = cards.stream().anyMatch(card -> card.status() == ModelCard.Status.LOADING);
		Health.Builder health = anyLoading ? Health.outOfService() : (anyReady ? Health.up() : Health.down());
		return health.withDetails(details).build();
	}

}
