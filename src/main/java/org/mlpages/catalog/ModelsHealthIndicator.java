package org.mlpages.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Shown as {@code models} in {@code /actuator/health}: each model's state. The app is up
 * while at least one model serves; a model that failed to load is named with its reason
 * but does not take the other pages down. While the models found at start-up are still
 * loading and none serves yet, the app is out of service (503), so that a load balancer
 * waits for it.
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
		Health.Builder health = anyReady ? Health.up() : (anyLoading ? Health.outOfService() : Health.down());
		return health.withDetails(details).build();
	}

}
