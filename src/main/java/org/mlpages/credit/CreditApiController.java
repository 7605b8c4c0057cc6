package org.mlpages.credit;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.mlpages.credit.CreditService.CreditResult;
import org.mlpages.credit.model.Contribution;
import org.mlpages.credit.model.FieldError;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.monitoring.PredictionMonitor;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The credit decision for programs: a JSON object of the 20 answers in, the decision and
 * its explanation out. Refused answers come back as a problem detail listing one error
 * per field.
 */
@RestController
class CreditApiController {

	/**
	 * NaN and Infinity are read so that they are refused per field, like any other
	 * impossible number.
	 */
	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
		.disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
		.build();

	private final CreditService service;

	private final MessageSource messages;

	private final PredictionMonitor monitor;

	/** The application's own mapper, so the answer reads as Spring MVC would write it. */
	private final ObjectWriter answer;

	CreditApiController(CreditService service, MessageSource messages, PredictionMonitor monitor,
			JsonMapper applicationMapper) {
		this.service = service;
		this.messages = messages;
		this.monitor = monitor;
		this.answer = applicationMapper.writerFor(CreditResponse.class);
	}

	/**
	 * The answer is written here rather than returned: Spring MVC would pick a converter
	 * and negotiate the media type again on every call, half the cost of writing the
	 * answer (docs/benchmarks.md, "Credit API: the path made cheaper"). A client that
	 * accepts no JSON still gets 406, as from a returned body.
	 */
	@PostMapping(path = CreditModels.API_PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
	void decide(HttpServletRequest request, HttpServletResponse response)
			throws IOException, HttpMediaTypeNotAcceptableException {
		service.model();
		Object answers = parse(request);
		if (!(answers instanceof Map<?, ?> map)) {
			throw new InvalidAnswersException(List.of(new FieldError("", FieldError.Code.NOT_AN_OBJECT)));
		}
		@SuppressWarnings("unchecked")
		Map<String, ?> fields = (Map<String, ?>) map;
		// checked before the decision, which is logged: a 406 must not leave a row behind
		requireJsonAccepted(request.getHeader("Accept"));
		byte[] body = answer.writeValueAsBytes(CreditResponse.of(service.decide(fields, Channel.API, true)));
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/**
	 * Refuses a request whose Accept header names no type JSON satisfies; no header,
	 * {@code application/json} and {@code *}{@code /*}, what clients send, are taken
	 * without parsing.
	 */
	private static void requireJsonAccepted(String accept) throws HttpMediaTypeNotAcceptableException {
		if (accept == null || accept.equals(MediaType.APPLICATION_JSON_VALUE) || accept.equals(MediaType.ALL_VALUE)) {
			return;
		}
		for (MediaType accepted : MediaType.parseMediaTypes(accept)) {
			if (accepted.isCompatibleWith(MediaType.APPLICATION_JSON)) {
				return;
			}
		}
		throw new HttpMediaTypeNotAcceptableException(List.of(MediaType.APPLICATION_JSON));
	}

	/**
	 * Read straight from the request: a {@code @RequestBody} would first copy every
	 * header into Spring's own object (each one through the security firewall's checks)
	 * and the body into a String, a tenth of the server's time per call. UTF-8 bytes,
	 * JSON's own encoding, go straight to Jackson; a body whose Content-Type names
	 * another charset is decoded with it, as Spring's String converter did. An empty body
	 * is refused as Jackson finds no value in it.
	 */
	private static Object parse(HttpServletRequest request) throws IOException {
		try {
			Charset charset = declaredCharset(request.getContentType());
			if (StandardCharsets.UTF_8.equals(charset)) {
				return JSON.readValue(request.getInputStream(), Object.class);
			}
			return JSON.readValue(new InputStreamReader(request.getInputStream(), charset), Object.class);
		}
		catch (JacksonException ex) {
			throw new InvalidAnswersException(List.of(new FieldError("", FieldError.Code.NOT_AN_OBJECT)));
		}
	}

	/**
	 * The charset the Content-Type names, or UTF-8. The mapping's {@code consumes} has
	 * already refused a type or charset that does not parse.
	 */
	private static Charset declaredCharset(String contentType) {
		if (contentType == null || contentType.length() == MediaType.APPLICATION_JSON_VALUE.length()) {
			return StandardCharsets.UTF_8;
		}
		Charset named = MediaType.parseMediaType(contentType).getCharset();
		return named != null ? named : StandardCharsets.UTF_8;
	}

	@ExceptionHandler(InvalidAnswersException.class)
	ResponseEntity<ProblemDetail> invalid(InvalidAnswersException ex, Locale locale, HttpServletRequest request) {
		monitor.refused(request, InvalidAnswersException.REASON);
		CreditErrorMessages errorMessages = new CreditErrorMessages(messages, service.model());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				messages.getMessage("credit.form.invalid", new Object[] { ex.errors().size() }, locale));
		problem.setTitle(HttpStatus.BAD_REQUEST.getReasonPhrase());
		problem.setProperty("code", InvalidAnswersException.REASON);
		problem.setProperty("errors",
				ex.errors()
					.stream()
					.map(error -> FieldProblem.of(error, errorMessages.message(error, locale)))
					.toList());
		return ResponseEntity.badRequest().body(problem);
	}

	/**
	 * One refused answer: a stable code, a message for a person, and for a program what
	 * it may send instead, in the model's own terms.
	 *
	 * @param allowed for {@code unknown-category}, the accepted values as they must be
	 * sent ({@code "radio/tv"}), where the message names them in words
	 * @param min for {@code too-small}, the smallest accepted number, as the form shows
	 * it
	 * @param max for {@code too-large}, the largest
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record FieldProblem(String field, String code, String message, List<String> allowed, Number min, Number max) {

		static FieldProblem of(FieldError error, String message) {
			String code = error.code().name().toLowerCase(Locale.ROOT).replace('_', '-');
			Object first = error.args().length > 0 ? error.args()[0] : null;
			List<String> allowed = null;
			if (error.code() == FieldError.Code.UNKNOWN_CATEGORY && first instanceof List<?> values) {
				allowed = values.stream().map(String::valueOf).toList();
			}
			Number min = error.code() == FieldError.Code.TOO_SMALL && first instanceof Number n ? n : null;
			Number max = error.code() == FieldError.Code.TOO_LARGE && first instanceof Number n ? n : null;
			return new FieldProblem(error.field(), code, message, allowed, min, max);
		}

	}

	record CreditResponse(long id, String model, String decision, boolean granted, double probabilityGood,
			double threshold, List<Contribution> contributions, double latencyMs) {

		static CreditResponse of(CreditResult result) {
			return new CreditResponse(result.id(), CreditModels.NAME,
					result.decision().granted() ? CreditService.GRANTED : CreditService.REFUSED,
					result.decision().granted(), result.decision().probabilityGood(), result.decision().threshold(),
					result.decision().contributions(), result.latencyMs());
		}

	}

}
