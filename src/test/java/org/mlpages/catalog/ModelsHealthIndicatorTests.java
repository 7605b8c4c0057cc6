package org.mlpages.catalog;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a load balancer reads from {@code /actuator/health} while the models load, once
 * they serve, and when one of them cannot load.
 */
class ModelsHealthIndicatorTests {

	@Test
	void outOfServiceWhileAModelFoundAtStartUpIsStillLoadingEvenIfAnotherServes() {
		Health health = healthOf(card("cat_dog_model", ModelCard.Status.READY),
				card("cats_vs_dogs", ModelCard.Status.LOADING));

		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.getDetails()).containsEntry("cats_vs_dogs", Map.of("status", "LOADING"));
	}

	@Test
	void upOnceEveryModelHasLoadedEvenIfOneFailed() {
		Health health = healthOf(card("cat_dog_model", ModelCard.Status.READY),
				card("broken", ModelCard.Status.FAILED));

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("cat_dog_model",
				Map.of("status", "READY", "sha256", "sha-cat_dog_model"));
		assertThat(health.getDetails()).containsEntry("broken",
				Map.of("status", "FAILED", "error", "unsupported layer"));
	}

	@Test
	void downWhenNoModelServes() {
		assertThat(healthOf(card("broken", ModelCard.Status.FAILED)).getStatus()).isEqualTo(Status.DOWN);
	}

	private static Health healthOf(ModelCard... cards) {
		ModelCatalog catalog = locale -> List.of(cards);
		return new ModelsHealthIndicator(new ModelCards(List.of(catalog))).health();
	}

	private static ModelCard card(String name, ModelCard.Status status) {
		return new ModelCard(name, "image-classifier", name, status,
				status == ModelCard.Status.FAILED ? "unsupported layer" : null, name + ".h5", 1,
				status == ModelCard.Status.READY ? "sha-" + name : null, null, null, List.of(), null, 0, null,
				Map.of());
	}

}
