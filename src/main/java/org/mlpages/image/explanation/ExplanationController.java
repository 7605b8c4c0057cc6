package org.mlpages.image.explanation;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import jakarta.servlet.http.HttpServletRequest;
import org.mlpages.history.Prediction;
import org.mlpages.history.PredictionAccess;
import org.mlpages.history.PredictionLog;
import org.mlpages.system.InputRejectedException;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where the model looked, for the result page's toggle and for programs: the map as
 * numbers (JSON) or as an image to lay over the photo (PNG). As the prediction itself,
 * only for the admin and for the browser session that asked for it; for an API client,
 * through the signed link given with its answer.
 */
@RestController
class ExplanationController {

	private final ImageExplanations explanations;

	private final PredictionLog predictionLog;

	private final PredictionAccess access;

	ExplanationController(ImageExplanations explanations, PredictionLog predictionLog, PredictionAccess access) {
		this.explanations = explanations;
		this.predictionLog = predictionLog;
		this.access = access;
	}

	@GetMapping(path = { "/api/v1/predictions/{id}/explanation", "/image/{model}/predictions/{id}/explanation" },
			produces = MediaType.APPLICATION_JSON_VALUE)
	ImageExplanations.Explanation numbers(@PathVariable(required = false) String model, @PathVariable long id,
			@RequestParam(name = "key", required = false) String key,
			@RequestParam(name = "method", required = false) String method, HttpServletRequest request) {
		return explanations.explain(prediction(model, id, key, request), method);
	}

	@GetMapping(path = { "/api/v1/predictions/{id}/explanation", "/api/v1/predictions/{id}/explanation.png",
			"/image/{model}/predictions/{id}/explanation.png" }, produces = MediaType.IMAGE_PNG_VALUE)
	ResponseEntity<byte[]> picture(@PathVariable(required = false) String model, @PathVariable long id,
			@RequestParam(name = "key", required = false) String key,
			@RequestParam(name = "method", required = false) String method, HttpServletRequest request)
			throws IOException {
		BufferedImage overlay = explanations.overlay(explanations.explain(prediction(model, id, key, request), method));
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		ImageIO.write(overlay, "png", png);
		return ResponseEntity.ok()
			.contentType(MediaType.IMAGE_PNG)
			.cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(7)).cachePrivate())
			.body(png.toByteArray());
	}

	/**
	 * Seen by the admin and the session that asked on the pages; by a signed link's
	 * holder.
	 */
	private Prediction prediction(String model, long id, String key, HttpServletRequest request) {
		return predictionLog.find(id)
			.filter(found -> model == null || model.equals(found.getModelName()))
			.filter(found -> access.hasLinkKey(id, key) || access.canSee(request, id))
			.orElseThrow(() -> new InputRejectedException(HttpStatus.NOT_FOUND, "prediction.unknown",
					"no prediction " + id));
	}

}
