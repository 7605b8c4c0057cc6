package org.mlpages.history;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import org.mlpages.system.InputRejectedException;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * "This is wrong": the person who asked (or the admin) says what the right answer was. It
 * is kept with the prediction and shown in the history, so the data person can collect
 * cases to retrain on.
 */
@Controller
class FeedbackController {

	private final PredictionLog predictionLog;

	private final PredictionAccess access;

	FeedbackController(PredictionLog predictionLog, PredictionAccess access) {
		this.predictionLog = predictionLog;
		this.access = access;
	}

	@PostMapping("/predictions/{id}/feedback")
	String feedback(@PathVariable long id, @RequestParam(name = "label", required = false) String label,
			HttpServletRequest request) {
		Prediction prediction = predictionLog.find(id)
			.filter(found -> access.canSee(request, id))
			.orElseThrow(() -> new InputRejectedException(HttpStatus.NOT_FOUND, "prediction.unknown",
					"no prediction " + id + " for this session"));
		if (label == null || !prediction.getAnswerChoices().contains(label)) {
			throw new InputRejectedException(HttpStatus.BAD_REQUEST, "feedback.rejected",
					"feedback label '" + String.valueOf(label).toLowerCase(Locale.ROOT) + "' is not an answer of "
							+ prediction.getModelName());
		}
		predictionLog.recordFeedback(id, label);
		return "redirect:" + prediction.getResultPath() + "?feedback";
	}

}
