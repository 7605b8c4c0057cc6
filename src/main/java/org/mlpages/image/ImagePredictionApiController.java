package org.mlpages.image;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.mlpages.history.Prediction;
import org.mlpages.history.PredictionAccess;
import org.mlpages.history.PredictionRecord;
import org.mlpages.history.PredictionRecord.Channel;

import org.springframework.context.MessageSource;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartRequest;

/**
 * The page's twin for programs: same validation, same log, JSON out. Errors come as
 * problem details.
 */
@RestController
class ImagePredictionApiController {

	private final ImageClassificationService service;

	private final MessageSource messages;

	private final PredictionAccess access;

	ImagePredictionApiController(ImageClassificationService service, MessageSource messages, PredictionAccess access) {
		this.service = service;
		this.access = access;
		this.messages = messages;
	}

	@PostMapping(path = "/api/v1/models/{modelName}/predictions", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	CompletableFuture<PredictionResponse> predict(@PathVariable String modelName,
			@RequestPart("image") MultipartFile image, MultipartRequest request, Locale locale) {
		ImageModel model = service.model(modelName);
		ImageClassificationService.requireOnePhoto(request, "image");
		// answered when the photo queue has classified it; a refusal reaches the advice
		return service.classifyInTurn(modelName, image, Channel.API).thenApply(prediction -> {
			PredictionRecord row = prediction.getRecord();
			return PredictionResponse.of(prediction,
					PhotoWarning.of(model, row.imageWidth(), row.imageHeight(), messages, locale),
					"/api/v1/predictions/" + prediction.getId() + "/explanation?key="
							+ access.linkKey(prediction.getId()));
		});
	}

	/**
	 * @param warnings what the answer's reader should know about the photo (a photo much
	 * smaller or more elongated than the model's input); empty when nothing
	 * @param explanation where the model looked, computed when this link is followed
	 * (JSON, or PNG with {@code Accept: image/png})
	 */
	record PredictionResponse(long id, Instant createdAt, String model, String modelSha256, String label,
			Map<String, Double> probabilities, int width, int height, double inferenceMs, double latencyMs,
			List<PhotoWarning> warnings, String explanation) {

		static PredictionResponse of(Prediction prediction, List<PhotoWarning> warnings, String explanation) {
			PredictionRecord row = prediction.getRecord();
			return new PredictionResponse(prediction.getId(), row.createdAt(), row.modelName(), row.modelSha256(),
					row.label(), row.probabilities(), row.imageWidth(), row.imageHeight(), row.inferenceMs(),
					row.latencyMs(), warnings, explanation);
		}

	}

}
