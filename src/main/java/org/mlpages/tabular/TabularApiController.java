package org.mlpages.tabular;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.monitoring.PredictionMonitor;
import org.mlpages.tabular.TabularModel.Contribution;
import org.mlpages.tabular.TabularModel.FieldError;
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
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tabular model for programs, the built-in credit model among them: a JSON object of
 * answers in, by field name; the decision, each class's probability and the explanation
 * out. Refused answers come back as a problem detail (RFC 9457) listing one error per
 * field.
 */
@RestController
class TabularApiController {

	/**
	 * NaN and Infinity are read so that they are refused per field, like any other
	 * impossible number.
	 */
	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
		// {"age": 30, "age": 31} is no answer: which one would the client mean?
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
		.build();

	/** How Jackson names the answer it found twice. */
	private static final Pattern DUPLICATE = Pattern.compile("^Duplicate Object property \"(.*)\"");

	/** The request's attribute naming the model asked, for the refusal's details. */
	private static final String MODEL = TabularApiController.class.getName() + ".model";

	private final TabularService service;

	private final MessageSource messages;

	private final PredictionMonitor monitor;

	/** The application's own mapper, so the answer reads as Spring MVC would write it. */
	private final ObjectWriter answer;

	TabularApiController(TabularService service, MessageSource messages, PredictionMonitor monitor,
			JsonMapper applicationMapper) {
		this.service = service;
		this.messages = messages;
		this.monitor = monitor;
		this.answer = applicationMapper.writerFor(Answer.class);
	}

	/**
	 * The answer is written here rather than returned: Spring MVC would pick a converter
	 * and negotiate the media type again on every call, half the cost of writing the
	 * answer (docs/benchmarks.md, "Credit API: the path made cheaper"). A client that
	 * accepts no JSON still gets 406, as from a returned body.
	 */
	@PostMapping(path = "/api/v1/models/{name}/predictions", consumes = MediaType.APPLICATION_JSON_VALUE)
	void decide(@PathVariable String name, HttpServletRequest request, HttpServletResponse response)
			throws IOException, HttpMediaTypeNotAcceptableException {
		request.setAttribute(MODEL, name);
		service.model(name);
		Object body = parse(request);
		if (!(body instanceof Map<?, ?> map)) {
			throw new InvalidAnswersException(List.of(new FieldError("", "not-an-object", List.of())));
		}
		@SuppressWarnings("unchecked")
		Map<String, ?> answers = (Map<String, ?>) map;
		// checked before the decision, which is logged: a 406 must not leave a row behind
		requireJsonAccepted(request.getHeader("Accept"));
		TabularService.TabularResult result = service.decide(name, answers, Channel.API, true);
		byte[] written = answer
			.writeValueAsBytes(new Answer(result.id(), name, result.decision().label(), result.decision().label(),
					result.decision().probabilities(), result.decision().threshold(), result.decision().explained(),
					result.decision().explainedIn(), result.decision().contributions(), result.latencyMs()));
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(written.length);
		response.getOutputStream().write(written);
	}

	/**
	 * The built-in credit model's API at its literal address: Spring MVC finds a literal
	 * path by one lookup, where a path with a variable is matched against every mapping
	 * of the app, a sixth of the server's CPU per credit request (docs/benchmarks.md,
	 * "The credit model as a tabular model").
	 */
	@PostMapping(path = "/api/v1/models/credit/predictions", consumes = MediaType.APPLICATION_JSON_VALUE)
	void decideCredit(HttpServletRequest request, HttpServletResponse response)
			throws IOException, HttpMediaTypeNotAcceptableException {
		decide("credit", request, response);
	}

	/**
	 * @param label the class decided, as the image API names its answer
	 * @param decision the same, as the credit API named it before it was a tabular
	 * model's
	 * @param explained the class whose probability each contribution moved
	 * @param explainedIn {@code probability}: each answer's change of that probability
	 * against its baseline; {@code log-odds}: a linear model's exact shares of its
	 * log-odds
	 * @param contributions by field, largest first
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Answer(long id, String model, String label, String decision, Map<String, Double> probabilities,
			Double threshold, String explained, String explainedIn, List<Contribution> contributions,
			double latencyMs) {
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
			Matcher duplicate = DUPLICATE.matcher(String.valueOf(ex.getOriginalMessage()));
			if (duplicate.find()) {
				throw new InvalidAnswersException(List.of(new FieldError(duplicate.group(1), "duplicate", List.of())));
			}
			throw new InvalidAnswersException(List.of(new FieldError("", "not-an-object", List.of())));
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
		Object name = request.getAttribute(MODEL);
		TabularModel model = name == null ? null : service.find(name.toString()).orElse(null);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				messages.getMessage("tabular.form.invalid", new Object[] { ex.errors().size() }, locale));
		problem.setTitle(HttpStatus.BAD_REQUEST.getReasonPhrase());
		problem.setProperty("code", InvalidAnswersException.REASON);
		problem.setProperty("errors", ex.errors()
			.stream()
			.map(error -> FieldProblem.of(error, model, TabularErrorMessages.message(error, model, messages, locale)))
			.toList());
		return ResponseEntity.badRequest().body(problem);
	}

	/**
	 * One refused answer: the field, a stable code, a message for a person, and for a
	 * program what it may send instead, in the model's own terms.
	 *
	 * @param allowed for {@code choice}, the values accepted, as they must be sent
	 * @param min for {@code range}, the smallest number accepted, if there is one
	 * @param max for {@code range}, the largest
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record FieldProblem(String field, String code, String message, List<String> allowed, Number min, Number max) {

		static FieldProblem of(FieldError error, TabularModel model, String message) {
			List<String> allowed = null;
			Number min = null;
			Number max = null;
			if (error.code().equals("choice") && model != null && model.hasField(error.field())) {
				allowed = model.field(error.field())
					.optionList()
					.stream()
					.map(TabularDescriptor.Option::value)
					.toList();
			}
			if (error.code().equals("range")) {
				double low = ((Number) error.arguments().get(0)).doubleValue();
				double high = ((Number) error.arguments().get(1)).doubleValue();
				// a whole-number field's bounds as whole numbers: 15, never 15.0
				boolean whole = model != null && model.hasField(error.field())
						&& model.field(error.field()).kind() == TabularDescriptor.Kind.INTEGER;
				min = !Double.isFinite(low) ? null : whole ? (Number) (long) low : (Number) low;
				max = !Double.isFinite(high) ? null : whole ? (Number) (long) high : (Number) high;
			}
			return new FieldProblem(error.field(), error.code(), message, allowed, min, max);
		}

	}

}
