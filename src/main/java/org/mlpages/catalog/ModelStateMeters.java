package org.mlpages.catalog;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Each model's state as Prometheus reads it: {@code mlpages_model_state} is 1 for the
 * state the model is in ({@code loading}, {@code ready}, {@code failed}) and 0 for the
 * others, so that an alert can say which model failed and a graph shows how long a load
 * took. The models found at start-up are watched from the start, those published later
 * from their publication.
 */
@Component
class ModelStateMeters {

	static final String STATE = "mlpages.model.state";

	private final ModelCards models;

	private final MeterRegistry registry;

	private final Set<String> watched = ConcurrentHashMap.newKeySet();

	ModelStateMeters(ModelCards models, MeterRegistry registry) {
		this.models = models;
		this.registry = registry;
		models.all(Locale.ENGLISH).forEach(card -> watch(card.name()));
	}

	@EventListener
	void added(ModelAdded model) {
		watch(model.name());
	}

	private void watch(String model) {
		if (!watched.add(model)) {
			return;
		}
		for (ModelCard.Status state : ModelCard.Status.values()) {
			Gauge.builder(STATE, () -> models.status(model).filter(state::equals).isPresent() ? 1 : 0)
				.description("1 for the state the model is in, 0 for the others")
				.tags("model", model, "state", state.name().toLowerCase(Locale.ROOT))
				.register(registry);
		}
	}

}
