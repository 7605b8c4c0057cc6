package org.mlpages.image;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;

import org.mlpages.history.LoggedPrediction;
import org.mlpages.history.PredictionRecord;
import org.mlpages.history.PredictionRecord.Channel;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * The page's twin for programs: same validation, same log, JSON out. Errors come as
 * problem details.
 */
@RestController
class ImagePredictionApiController {

	private final ImageClassificationService service;

	ImagePredictionApiController(ImageClassificationService service) {
		this.service = service;
	}

	@PostMapping(path = "/api/v1/models/{modelName}/predictions", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	PredictionResponse predict(@PathVariable String modelName, @RequestPart("image") MultipartFile image)
			throws IOException {
		service.model(modelName);
		LoggedPrediction prediction = service.classify(modelName,
				UploadedPhoto.of(image.getOriginalFilename(), image.getBytes()), Channel.API);
		return PredictionResponse.of(prediction);
	}

	record PredictionResponse(long id, Instant createdAt, String model, String modelSha256, String label,
			Map<String, Double> probabilities, int width, int height, double inferenceMs, double latencyMs) {

		static PredictionResponse of(LoggedPrediction prediction) {
			PredictionRecord row = prediction.record();
			return new PredictionResponse(prediction.id(), row.createdAt(), row.modelName(), row.modelSha256(),
					row.label(), row.probabilities(), row.imageWidth(), row.imageHeight(), row.inferenceMs(),
					row.latencyMs());
		}

	}

}
