package org.mlpages.image;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.mlpages.catalog.ModelAdded;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * How busy each image model is, read at each scrape: predictions running
 * ({@code mlpages_inference_active}) out of the most it runs at once
 * ({@code mlpages_inference_capacity}), and those waiting for a free predictor
 * ({@code mlpages_inference_queued}, photos queued for a batch included); and photos
 * waiting to be decoded ({@code mlpages_image_decode_queued}), which is limited to one
 * per core. A queue that stays above zero means the server needs more cores or fewer
 * visitors.
 * <p>
 * How many photos each call of the model held ({@code mlpages_inference_batch_size}, a
 * histogram per model; see {@link PhotoBatcher}): mostly 1 on a quiet site, near the
 * maximum under load.
 */
@Component
class ImageModelMeters {

	private final ImageModels models;

	private final MeterRegistry registry;

	private final Set<String> watched = ConcurrentHashMap.newKeySet();

	ImageModelMeters(ImageModels models, ImageClassificationService service, MeterRegistry registry) {
		this.models = models;
		this.registry = registry;
		Gauge.builder("mlpages.image.decode.queued", service::decodesWaiting)
			.description("Photos waiting for a decoding slot (one per core)")
			.register(registry);
		Gauge.builder("mlpages.image.memory.queued", service::photosWaitingForMemory)
			.description("Photos waiting for room in the heap's budget for photos in flight")
			.register(registry);
		models.modelCards(Locale.ENGLISH).forEach(card -> watch(card.name()));
	}

	@EventListener
	void added(ModelAdded model) {
		if (models.status(model.name()).isPresent()) {
			watch(model.name());
		}
	}

	private void watch(String model) {
		if (!watched.add(model)) {
			return;
		}
		gauge("mlpages.inference.active", model, "Predictions the model is running now",
				ImageModel::predictionsRunning);
		gauge("mlpages.inference.queued", model,
				"Photos waiting for a free predictor of the model (queued for a batch included)",
				ImageModel::predictionsWaiting);
		gauge("mlpages.inference.capacity", model, "Predictions the model runs at once at most (its predictors)",
				ImageModel::predictorCount);
	}

	/**
	 * Records each batch's size; made when the model loads, since a batch comes before
	 * the first scrape.
	 */
	static IntConsumer batchSizes(MeterRegistry registry, String model, int maxSize) {
		DistributionSummary sizes = DistributionSummary.builder("mlpages.inference.batch.size")
			.description("Photos predicted in one call of the model (micro-batching)")
			.tag("model", model)
			.serviceLevelObjectives(IntStream.rangeClosed(1, maxSize)
				.filter(size -> size <= 4 || Integer.bitCount(size) == 1 || size == maxSize)
				.asDoubleStream()
				.toArray())
			.register(registry);
		return sizes::record;
	}

	private void gauge(String name, String model, String description, ToIntFunction<ImageModel> value) {
		Gauge.builder(name, () -> models.find(model).map(value::applyAsInt).orElse(0))
			.description(description)
			.tag("model", model)
			.register(registry);
	}

}
