package org.mlpages.history;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.web.TestModels;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prediction row is described once, by {@link PredictionRecord}'s mapping: what a
 * feature logs through the writer is what the history reads back through JPA, every
 * column of it, on the real SQLite file (MariaDB: {@link MariaDbPredictionLogTests}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "mlpages.admin.username=admin", "mlpages.admin.password-hash={noop}test-admin-password" })
@ActiveProfiles("test")
class PredictionRowTests {

	static {
		TestModels.prepare();
	}

	@Autowired
	PredictionLog predictionLog;

	@Test
	void anImagePredictionIsReadBackAsItWasLogged() {
		PredictionRecord logged = imageRecord();

		Prediction read = readBack(predictionLog.record(logged).getId());

		assertThat(read.getRecord()).isEqualTo(logged);
		assertThat(read.getChannel()).isEqualTo("page");
		assertThat(read.getFeedbackLabel()).isNull();
	}

	@Test
	void aBatchRowWithItsThresholdAndExplanationIsReadBackAsItWasLogged() {
		PredictionRecord logged = tabularRecord().inBatch("batch-0001", 7);

		Prediction read = readBack(predictionLog.recordAll(List.of(logged))[0]);

		assertThat(read.getRecord()).isEqualTo(logged);
		assertThat(read.getTopProbability()).isEqualTo(0.75);
	}

	@Test
	void theHistoryFiltersByChannelAndAnUnknownChannelMatchesNothing() {
		PredictionRecord demo = tabularRecord();
		long id = predictionLog.record(demo).getId();
		String model = demo.modelName();

		assertThat(predictionLog.page(filter(model, "demo"), 0, 10, ZoneOffset.UTC)).extracting(Prediction::getId)
			.containsExactly(id);
		assertThat(predictionLog.page(filter(model, "api"), 0, 10, ZoneOffset.UTC)).isEmpty();
		assertThat(predictionLog.page(filter(model, "nowhere"), 0, 10, ZoneOffset.UTC)).isEmpty();
	}

	private Prediction readBack(long id) {
		return predictionLog.find(id).orElseThrow();
	}

	private static HistoryFilter filter(String model, String channel) {
		return new HistoryFilter(model, null, null, null, channel, null);
	}

	// the database keeps milliseconds; an old time: the other tests read the newest rows
	static PredictionRecord imageRecord() {
		Map<String, Double> probabilities = new LinkedHashMap<>();
		probabilities.put("Dog", 0.125);
		probabilities.put("Cat", 0.875);
		return new PredictionRecord(Instant.parse("2020-01-15T09:15:30.123Z"), PredictionRecord.IMAGE, Channel.PAGE,
				"m-img", "a".repeat(64), "0b6f.jpg", "chat été.jpg", 640, 480, null, "Cat", probabilities, null, 12.5,
				20.25, "[\"map\"]", null, null);
	}

	static PredictionRecord tabularRecord() {
		Map<String, Double> probabilities = new LinkedHashMap<>();
		probabilities.put("good", 0.75);
		probabilities.put("bad", 0.25);
		return new PredictionRecord(Instant.parse("2020-01-15T09:15:31.456Z"), PredictionRecord.TABULAR, Channel.DEMO,
				"m-tab-" + System.nanoTime(), "b".repeat(64), null, null, null, null, "{\"duration\":12}", "good",
				probabilities, 0.4, 0.5, 1.5, "{\"duration\":-0.1}", null, null);
	}

}
