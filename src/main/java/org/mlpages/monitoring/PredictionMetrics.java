package org.mlpages.monitoring;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.mlpages.history.PredictionRecord.Channel;

import org.springframework.stereotype.Component;

/**
 * The prediction meters, per model. Prometheus reads them as
 * {@code mlpages_predictions_total}, {@code mlpages_refusals_total},
 * {@code mlpages_inference_seconds} and {@code mlpages_prediction_latency_seconds} (the
 * last two histograms, so that it computes percentiles over any window and any set of
 * servers).
 * <p>
 * Meters are looked up once per model, answer and channel and kept: the credit API
 * answers thousands of requests a second, and a registry lookup builds an id and sorts
 * tags each time.
 */
@Component
public class PredictionMetrics {

	public static final String PREDICTIONS = "mlpages.predictions";

	public static final String REFUSALS = "mlpages.refusals";

	public static final String INFERENCE = "mlpages.inference";

	public static final String LATENCY = "mlpages.prediction.latency";

	/** The tag of a refusal whose model is not one the app serves. */
	public static final String UNKNOWN_MODEL = "unknown";

	/**
	 * Bucket bounds: a credit decision's inference takes tens of microseconds, a photo's
	 * tens of milliseconds, a photo waiting behind others on a small server seconds.
	 * Fixed bounds (rather than Micrometer's 70-odd percentile buckets) keep the series
	 * few; an operator may set others with
	 * {@code management.metrics.distribution.slo.mlpages.inference}.
	 */
	static final Duration[] BUCKETS = { Duration.ofMillis(1).dividedBy(10), Duration.ofMillis(1).dividedBy(4),
			Duration.ofMillis(1).dividedBy(2), Duration.ofMillis(1), Duration.ofMillis(1).multipliedBy(5).dividedBy(2),
			Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
			Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
			Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30) };

	private static final Channel[] CHANNELS = Channel.values();

	private final MeterRegistry registry;

	private final ConcurrentMap<String, ModelMeters> byModel = new ConcurrentHashMap<>();

	private final MeterProvider<Counter> refusals;

	PredictionMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.refusals = Counter.builder(REFUSALS)
			.description("Prediction requests refused, by model, channel and reason")
			.withRegistry(registry);
	}

	/**
	 * @param latencyMs from the request reaching the model's service to its row committed
	 */
	public void answered(String model, String answer, Channel channel, double inferenceMs, double latencyMs) {
		ModelMeters meters = byModel.get(model);
		if (meters == null) {
			meters = byModel.computeIfAbsent(model, ModelMeters::new);
		}
		meters.answered(answer, channel, inferenceMs, latencyMs);
	}

	/** A request refused before any answer; rare enough to be looked up each time. */
	public void refused(String model, Channel channel, String reason) {
		refusals.withTags("model", model, "channel", channel.key(), "reason", reason).increment();
	}

	private static long nanos(double millis) {
		return Math.round(millis * 1e6);
	}

	private final class ModelMeters {

		private final String model;

		private final Timer inference;

		private final Timer[] latency = new Timer[CHANNELS.length];

		// answer -> one counter per channel; answers are the model's own labels, a few
		private final ConcurrentMap<String, Counter[]> predictions = new ConcurrentHashMap<>();

		ModelMeters(String model) {
			this.model = model;
			this.inference = Timer.builder(INFERENCE)
				.description("Time the model takes to answer, without decoding, queueing or logging")
				.tag("model", model)
				.serviceLevelObjectives(BUCKETS)
				.register(registry);
			for (Channel channel : CHANNELS) {
				latency[channel.ordinal()] = Timer.builder(LATENCY)
					.description("Time from a prediction request reaching the model's service to its row committed")
					.tags("model", model, "channel", channel.key())
					.serviceLevelObjectives(BUCKETS)
					.register(registry);
			}
		}

		void answered(String answer, Channel channel, double inferenceMs, double latencyMs) {
			Counter[] counters = predictions.get(answer);
			if (counters == null) {
				counters = predictions.computeIfAbsent(answer, this::counters);
			}
			counters[channel.ordinal()].increment();
			inference.record(nanos(inferenceMs), TimeUnit.NANOSECONDS);
			latency[channel.ordinal()].record(nanos(latencyMs), TimeUnit.NANOSECONDS);
		}

		private Counter[] counters(String answer) {
			Counter[] counters = new Counter[CHANNELS.length];
			for (Channel channel : CHANNELS) {
				counters[channel.ordinal()] = Counter.builder(PREDICTIONS)
					.description("Predictions answered and logged, by model, answer and channel")
					.tags("model", model, "answer", answer, "channel", channel.key())
					.register(registry);
			}
			return counters;
		}

	}

}
