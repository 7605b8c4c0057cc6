package org.mlpages.tabular;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.servlet.http.HttpServletRequest;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.monitoring.PredictionMonitor;
import org.mlpages.tabular.TabularModel.Contribution;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tabular model for programs: a JSON object of answers in, by field name, the decision,
 * each class's probability and the explanation out. Refused answers come back as a
 * problem detail (RFC 9457) listing one error per field, as the credit API does.
 */
@RestController
class TabularApiController {

	private final TabularService service;

	private final MessageSource messages;

	private final PredictionMonitor monitor;

	TabularApiController(TabularService service, MessageSource messages, PredictionMonitor monitor) {
		this.service = service;
		this.messages = messages;
		this.monitor = monitor;
	}

	@PostMapping(path = "/api/v1/models/{name}/predictions", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	Answer decide(@PathVariable String name, @RequestBody Map<String, Object> answers) {
		service.model(name);
		TabularService.TabularResult result = service.decide(name, answers, Channel.API, true);
		return new Answer(result.id(), name, result.decision().label(), result.decision().probabilities(),
				result.decision().threshold(), result.decision().explained(), result.decision().contributions(),
				result.latencyMs());
	}

	/**
	 * @param explained the class whose probability each contribution moved
	 * @param contributions each answer's change of that probability against its baseline,
	 * largest first
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Answer(long id, String model, String label, Map<String, Double> probabilities, Double threshold,
			String explained, List<Contribution> contributions, double latencyMs) {
	}

	@ExceptionHandler(InvalidAnswersException.class)
	ResponseEntity<ProblemDetail> invalid(InvalidAnswersException ex, Locale locale, HttpServletRequest request) {
		monitor.refused(request, InvalidAnswersException.REASON);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				messages.getMessage("tabular.form.invalid", new Object[] { ex.errors().size() }, locale));
		problem.setTitle(HttpStatus.BAD_REQUEST.getReasonPhrase());
		problem.setProperty("code", InvalidAnswersException.REASON);
		problem.setProperty("errors",
				ex.errors()
					.stream()
					.map(error -> new FieldProblem(error.field(), error.code(),
							TabularErrorMessages.message(error, messages, locale)))
					.toList());
		return ResponseEntity.badRequest().body(problem);
	}

	/** One refused answer: the field, a stable code, a message for a person. */
	record FieldProblem(String field, String code, String message) {
	}

}
