package org.mlpages.credit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.mlpages.credit.CreditModels.ReadyCreditModel;
import org.mlpages.credit.model.CreditDecision;
import org.mlpages.credit.model.CreditField;
import org.mlpages.credit.model.CreditModel;
import org.mlpages.credit.model.FieldError;
import org.mlpages.history.LoggedPrediction;
import org.mlpages.history.Prediction;
import org.mlpages.history.PredictionLog;
import org.mlpages.history.PredictionRecord;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.system.InputRejectedException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * One application through the credit model, the same for the page and the API: check
 * every answer against the model's own schema (Tribuo would silently drop or guess what
 * it does not know), decide, log.
 */
@Service
public class CreditService {

	public static final String GRANTED = "granted";

	public static final String REFUSED = "refused";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final CreditModels models;

	private final PredictionLog predictionLog;

	CreditService(CreditModels models, PredictionLog predictionLog) {
		this.models = models;
		this.predictionLog = predictionLog;
	}

	public ReadyCreditModel model() {
		return models.ready()
			.orElseThrow(() -> new InputRejectedException(HttpStatus.NOT_FOUND, "model.unknown",
					"the credit model is not loaded", CreditModels.NAME));
	}

	/**
	 * @param rejectUnknownFields whether a field the model does not know is an error (the
	 * API) or ignored (a page form also carries its own fields)
	 */
	public CreditResult decide(Map<String, ?> answers, Channel channel, boolean rejectUnknownFields) {
		long start = System.nanoTime();
		CreditModel model = model().model();
		List<FieldError> errors = model.schema().validate(answers, rejectUnknownFields);
		if (!errors.isEmpty()) {
			throw new InvalidAnswersException(errors);
		}
		Map<String, String> validated = normalised(model, answers);
		long inferenceStart = System.nanoTime();
		// the answers as sent, which stand for the same values as the logged text: the
		// model checks them again, and numbers that arrive as numbers (JSON) are checked
		// without being parsed out of text once more
		CreditDecision decision = model.decide(answers);
		double inferenceMs = (System.nanoTime() - inferenceStart) / 1e6;
		// keyed by the answers the row's label takes, so that the history reads the
		// probability of the answer given; the model's own classes are "good" and "bad"
		Map<String, Double> probabilities = new LinkedHashMap<>();
		probabilities.put(GRANTED, decision.probabilityGood());
		probabilities.put(REFUSED, 1 - decision.probabilityGood());
		double latencyMs = (System.nanoTime() - start) / 1e6;
		LoggedPrediction logged = predictionLog.record(PredictionRecord.tabular(channel, CreditModels.NAME,
				model.sha256(), JSON.writeValueAsString(validated), decision.granted() ? GRANTED : REFUSED,
				probabilities, decision.threshold(), inferenceMs, latencyMs));
		return new CreditResult(logged.id(), validated, decision, latencyMs);
	}

	/** The answers a logged decision was given, in the schema's order. */
	static Map<String, String> answersOf(Prediction prediction) {
		return JSON.readValue(prediction.getInputJson(), new TypeReference<LinkedHashMap<String, String>>() {
		});
	}

	/**
	 * Why a logged decision went the way it did, in the reader's words; empty when the
	 * model has been replaced since, whose contributions would explain another decision.
	 */
	public Optional<CreditExplanation> explain(Prediction prediction, Locale locale) {
		ReadyCreditModel credit = model();
		if (!prediction.getModelSha256().equals(credit.model().sha256())) {
			return Optional.empty();
		}
		Map<String, String> answers = answersOf(prediction);
		return Optional
			.of(CreditExplanation.of(credit.model().decide(answers), answers, credit.descriptor(), credit, locale));
	}

	/**
	 * The answers as the model reads them: strings, in the schema's order, nothing else.
	 */
	private static Map<String, String> normalised(CreditModel model, Map<String, ?> answers) {
		Map<String, String> validated = new LinkedHashMap<>();
		for (CreditField field : model.schema().fields()) {
			Object value = answers.get(field.name());
			String text = value instanceof String string ? string.strip() : String.valueOf(value);
			if (field.kind() == CreditField.Kind.NUMERIC && value instanceof Number number) {
				text = field.integer() ? String.valueOf(number.longValue()) : number.toString();
			}
			validated.put(field.name(), text);
		}
		return validated;
	}

	/** A decision once logged. */
	public record CreditResult(long id, Map<String, String> answers, CreditDecision decision, double latencyMs) {
	}

}
