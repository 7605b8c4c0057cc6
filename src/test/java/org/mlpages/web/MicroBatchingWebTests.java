package org.mlpages.web;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.mlpages.image.ImageModels;
import org.mlpages.monitoring.PrometheusText;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Photos uploaded at the same time through the real app, which may predict them together
 * (micro-batching, on as it ships): each client still gets its own photo's answer, and
 * each photo its own row.
 */
class MicroBatchingWebTests extends WebTestSupport {

	private static final ReferenceOutputs REFERENCE = ReferenceOutputs.load();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	ImageModels models;

	@Test
	void batchingIsOnAsShipped() {
		assertThat(models.find(TestModels.REFERENCE).orElseThrow().maxBatchSize()).isEqualTo(8);
	}

	@Test
	void aPhotoRefusedOrAnsweredNoLongerHoldsTheBatches() {
		String name = "nasser0111_cat.jpg";
		HttpResponse<String> answered = upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image", name,
				photo(name), "en");
		HttpResponse<String> tooSmall = upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image",
				"tiny.png", png(8, 8), "en");
		HttpResponse<String> notAPhoto = upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image",
				"notes.jpg", "not a photo".getBytes(StandardCharsets.UTF_8), "en");

		assertThat(answered.statusCode()).isEqualTo(200);
		assertThat(tooSmall.statusCode()).isEqualTo(422);
		assertThat(notAPhoto.statusCode()).isBetween(400, 499);
		// a photo left counted would make every later batch wait for it, a lone photo
		// included
		assertThat(models.find(TestModels.REFERENCE).orElseThrow().photosOnTheirWay()).isZero();
	}

	@Test
	void concurrentUploadsAreEachAnsweredWithTheirOwnLabelAndLoggedAsTheirOwnRow() throws Exception {
		int rounds = 2;
		List<String> names = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			names.addAll(REFERENCE.photos());
		}
		long rowsBefore = predictionRows();
		PrometheusText metricsBefore = PrometheusText.parse(get("/actuator/prometheus", "en").body());
		ExecutorService clients = Executors.newFixedThreadPool(names.size());
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<JsonNode>> answers = new ArrayList<>();
			for (String name : names) {
				answers.add(clients.submit(() -> {
					start.await();
					return JSON.readTree(upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image",
							name, photo(name), "en")
						.body());
				}));
			}
			start.countDown();

			Set<Long> ids = new HashSet<>();
			for (int i = 0; i < names.size(); i++) {
				String name = names.get(i);
				int reference = REFERENCE.photos().indexOf(name);
				JsonNode answer = answers.get(i).get(120, TimeUnit.SECONDS);
				assertThat(answer.get("label").asString()).as(name).isEqualTo(REFERENCE.label(reference));
				assertThat(answer.get("probabilities").get("Dog").asDouble()).as(name)
					.isCloseTo(REFERENCE.probabilities()[reference][1], within(0.01));
				long id = answer.get("id").asLong();
				ids.add(id);
				Map<String, Object> row = jdbc.queryForMap("select * from prediction where id = ?", id);
				assertThat(row.get("original_name")).as(name).isEqualTo(name);
				assertThat(row.get("label")).as(name).isEqualTo(REFERENCE.label(reference));
				assertThat(row.get("model_name")).isEqualTo(TestModels.REFERENCE);
			}
			assertThat(ids).as("one row per upload").hasSize(names.size());
			assertThat(predictionRows()).isEqualTo(rowsBefore + names.size());
		}
		finally {
			clients.shutdownNow();
		}
		// however they were grouped, every photo went through the model once
		PrometheusText metricsAfter = PrometheusText.parse(get("/actuator/prometheus", "en").body());
		String sum = "mlpages_inference_batch_size_sum";
		double photosBefore = metricsBefore.has(sum, "model", TestModels.REFERENCE)
				? metricsBefore.value(sum, "model", TestModels.REFERENCE) : 0;
		assertThat(metricsAfter.value(sum, "model", TestModels.REFERENCE) - photosBefore).isEqualTo(names.size());
		assertThat(metricsAfter.value("mlpages_inference_batch_size_max", "model", TestModels.REFERENCE)).isBetween(1.0,
				8.0);
	}

}
