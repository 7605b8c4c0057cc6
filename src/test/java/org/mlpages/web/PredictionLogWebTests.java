package org.mlpages.web;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.mlpages.monitoring.WrittenLines;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's log: one line per prediction from the logger
 * {@code org.mlpages.predictions}, which says what happened and nothing of what was sent.
 * The JSON form is {@code PredictionLogsIT}'s, on the packaged jar.
 */
@ExtendWith(OutputCaptureExtension.class)
class PredictionLogWebTests extends WebTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void aPhotoGetsOneLineWithItsIdModelAnswerAndLatency(CapturedOutput output) {
		JsonNode answer = JSON.readTree(upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image",
				"holiday-Marie-Dupont.jpg", photo("nasser0111_cat.jpg"), "en")
			.body());
		long id = answer.get("id").asLong();

		List<String> lines = linesAbout(output, "prediction " + id + " ");
		assertThat(lines).hasSize(1);
		assertThat(lines.get(0)).contains("org.mlpages.predictions")
			.containsPattern("prediction " + id + " answered: model=" + TestModels.REFERENCE + " channel=api answer="
					+ answer.get("label").asString() + " latency_ms=\\d+\\.\\d inference_ms=\\d+\\.\\d$")
			.as("the file's name is the sender's")
			.doesNotContain("Marie");
	}

	@Test
	void aCreditDecisionsLineGivesTheDecisionAndNoAnswer(CapturedOutput output) {
		Map<String, Object> applicant = CreditWebTests.applicant();
		JsonNode decision = JSON.readTree(send(HttpRequest.newBuilder(uri("/api/v1/models/credit/predictions"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(applicant)))).body());
		long id = decision.get("id").asLong();

		List<String> lines = linesAbout(output, "prediction " + id + " ");
		assertThat(lines).hasSize(1);
		assertThat(lines.get(0)).contains("prediction " + id + " answered: model=credit channel=api answer="
				+ decision.get("decision").asString());
		for (Object value : applicant.values()) {
			assertThat(lines.get(0).substring(lines.get(0).indexOf("answered:"))).as("the applicant's answer %s", value)
				.doesNotContain("=" + value + " ");
		}
		assertThat(lines.get(0)).doesNotContain("radio/tv", "male single", "life insurance");
	}

	@Test
	void aRefusalGetsALineWithItsReason(CapturedOutput output) {
		HttpResponse<String> refused = upload("/image/" + TestModels.REFERENCE, "image", "notes.jpg",
				"not a photo".getBytes(StandardCharsets.UTF_8), "en");

		assertThat(refused.statusCode()).isEqualTo(415);
		assertThat(linesAbout(output, "prediction refused:")).anySatisfy(line -> assertThat(line)
			.endsWith("prediction refused: model=" + TestModels.REFERENCE + " channel=page reason=not-an-image"));
	}

	@Test
	void theLinesCanBeTurnedOff(CapturedOutput output) {
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		logging.setLogLevel("org.mlpages.predictions", LogLevel.WARN);
		try {
			long id = JSON
				.readTree(upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image", "cat.jpg",
						photo("nasser0111_cat.jpg"), "en")
					.body())
				.get("id")
				.asLong();

			assertThat(id).isPositive();
			assertThat(linesAbout(output, "prediction " + id + " ")).isEmpty();
		}
		finally {
			logging.setLogLevel("org.mlpages.predictions", null);
		}
	}

	private static List<String> linesAbout(CapturedOutput output, String text) {
		return WrittenLines.of(output).lines().filter(line -> line.contains(text)).toList();
	}

}
