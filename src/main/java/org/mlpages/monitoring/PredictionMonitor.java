package org.mlpages.monitoring;

import jakarta.servlet.http.HttpServletRequest;

import org.mlpages.catalog.ModelCards;
import org.mlpages.history.Prediction;
import org.mlpages.history.PredictionListener;
import org.mlpages.history.PredictionRecord;
import org.mlpages.system.RefusalListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Counts every prediction answered or refused and writes the operator's line for it. The
 * line comes from the logger {@value #LOGGER}, of its own so that it can be turned off
 * ({@code logging.level.org.mlpages.predictions=warn}) or routed; it says which
 * prediction, model and channel, whether it was answered (with the answer and the
 * latency) or refused (with the reason), and nothing of what was sent: no file, no name,
 * no credit answer. Its fields are also key-value pairs, which Spring Boot's structured
 * logging ({@code logging.structured.format.console=ecs}) writes as JSON fields.
 */
@Component
public class PredictionMonitor implements PredictionListener, RefusalListener {

	static final String LOGGER = "org.mlpages.predictions";

	private static final Logger log = LoggerFactory.getLogger(LOGGER);

	private final PredictionMetrics metrics;

	private final ModelCards models;

	PredictionMonitor(PredictionMetrics metrics, ModelCards models) {
		this.metrics = metrics;
		this.models = models;
	}

	@Override
	public void logged(Prediction prediction, double latencyMs) {
		PredictionRecord row = prediction.getRecord();
		metrics.answered(row.modelName(), row.label(), row.channel(), row.inferenceMs(), latencyMs);
		if (log.isInfoEnabled()) {
			String channel = row.channel().key();
			double latency = tenths(latencyMs);
			double inference = tenths(row.inferenceMs());
			log.atInfo()
				.addKeyValue("prediction_id", prediction.getId())
				.addKeyValue("model", row.modelName())
				.addKeyValue("channel", channel)
				.addKeyValue("status", "answered")
				.addKeyValue("answer", row.label())
				.addKeyValue("latency_ms", latency)
				.addKeyValue("inference_ms", inference)
				.log("prediction {} answered: model={} channel={} answer={} latency_ms={} inference_ms={}",
						prediction.getId(), row.modelName(), channel, row.label(), latency, inference);
		}
	}

	/**
	 * A prediction request refused; nothing happens for other requests. The model is
	 * named only when the app serves it, so that made-up names in paths cannot grow the
	 * metrics without bound.
	 * @param reason a short code, as {@code InputRejectedException.reason()} gives it
	 */
	@Override
	public void refused(HttpServletRequest request, String reason) {
		PredictionEndpoint endpoint = PredictionEndpoint.of(request);
		if (endpoint == null) {
			return;
		}
		String model = endpoint.model() != null && models.status(endpoint.model()).isPresent() ? endpoint.model()
				: PredictionMetrics.UNKNOWN_MODEL;
		metrics.refused(model, endpoint.channel(), reason);
		if (log.isInfoEnabled()) {
			String channel = endpoint.channel().key();
			log.atInfo()
				.addKeyValue("model", model)
				.addKeyValue("channel", channel)
				.addKeyValue("status", "refused")
				.addKeyValue("reason", reason)
				.log("prediction refused: model={} channel={} reason={}", model, channel, reason);
		}
	}

	private static double tenths(double millis) {
		return Math.round(millis * 10) / 10.0;
	}

}
