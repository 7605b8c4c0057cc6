package org.mlpages.tabular;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mlpages.history.Prediction;
import org.mlpages.history.PredictionLog;
import org.mlpages.history.PredictionRecord;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.system.InputRejectedException;
import org.mlpages.tabular.TabularModel.Contribution;
import org.mlpages.tabular.TabularModel.Decision;
import org.mlpages.tabular.TabularModel.FieldError;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * One row through a tabular model, the same for the page and the API: every answer
 * checked against the descriptor, the decision and its explanation computed once and
 * logged together, so that the result page and the history show what was decided then.
 */
@Service
public class TabularService {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final TabularModels models;

	private final PredictionLog predictionLog;

	TabularService(TabularModels models, PredictionLog predictionLog) {
		this.models = models;
		this.predictionLog = predictionLog;
	}

	public java.util.Optional<TabularModel> find(String name) {
		return models.find(name);
	}

	public TabularModel model(String name) {
		return models.find(name)
			.orElseThrow(() -> new InputRejectedException(HttpStatus.NOT_FOUND, "model.unknown",
					"no tabular model " + name, name));
	}

	/**
	 * The model of that name, asked for at its own address or below it: the built-in
	 * credit model is at /credit, not also at /tabular/credit.
	 * @param path the request's path within the application
	 */
	public TabularModel servedAt(String name, String path) {
		TabularModel tabular = model(name);
		if (!path.equals(tabular.pagePath()) && !path.startsWith(tabular.pagePath() + "/")) {
			throw new InputRejectedException(HttpStatus.NOT_FOUND, "model.unknown",
					name + " is served at " + tabular.pagePath(), name);
		}
		return tabular;
	}

	/** A row of a batch: its position in the file, from 1, and its answers by field. */
	public record BatchRow(int position, Map<String, String> answers) {
	}

	/**
	 * Rows of a batch decided one after the other and logged together, each with the
	 * batch's id and its position: one commit for them all, not one each.
	 * @return the rows refused, by position, with one error per refused answer; the
	 * others are logged
	 * @throws InputRejectedException when the model is no longer served
	 */
	public Map<Integer, List<FieldError>> decideBatch(String name, List<BatchRow> rows, Channel channel,
			String batchId) {
		TabularModel model = model(name);
		Map<Integer, List<FieldError>> refused = new LinkedHashMap<>();
		List<PredictionRecord> records = new ArrayList<>(rows.size());
		for (BatchRow row : rows) {
			long start = System.nanoTime();
			TabularModel.Answers answers = model.read(row.answers());
			if (!answers.valid()) {
				refused.put(row.position(), answers.errors());
				continue;
			}
			Decision decision;
			try {
				decision = model.decide(answers);
			}
			catch (org.mlpages.onnx.OnnxClassifier.ClosedException ex) {
				// replaced while the rows were decided: the new model decides them all
				replacedSinceClosed(name, model);
				return decideBatch(name, rows, channel, batchId);
			}
			double ms = (System.nanoTime() - start) / 1e6;
			records.add(logRow(model, channel, answers, decision, ms, ms).inBatch(batchId, row.position()));
		}
		if (!records.isEmpty()) {
			predictionLog.recordAll(records);
		}
		return refused;
	}

	/**
	 * @param rejectUnknownFields whether a key the descriptor does not name is an error
	 * (the API) or ignored (a page's form carries fields of its own)
	 * @throws InvalidAnswersException with one error per refused answer; nothing logged
	 */
	public TabularResult decide(String name, Map<String, ?> sent, Channel channel, boolean rejectUnknownFields) {
		long start = System.nanoTime();
		TabularModel model = model(name);
		Map<String, String> texts = new LinkedHashMap<>();
		List<FieldError> unknown = new ArrayList<>();
		sent.forEach((key, value) -> {
			if (model.hasField(key)) {
				texts.put(key, text(value));
			}
			else if (rejectUnknownFields) {
				// a key is echoed back in the refusal: a long one is cut
				unknown
					.add(new FieldError(key.length() > 100 ? key.substring(0, 100) + "…" : key, "unknown", List.of()));
			}
		});
		TabularModel.Answers answers = model.read(texts);
		if (!answers.valid() || !unknown.isEmpty()) {
			List<FieldError> errors = new ArrayList<>(answers.errors());
			errors.addAll(unknown);
			throw new InvalidAnswersException(errors);
		}
		long inferenceStart = System.nanoTime();
		Decision decision;
		try {
			decision = model.decide(answers);
		}
		catch (org.mlpages.onnx.OnnxClassifier.ClosedException ex) {
			// replaced while this request was read: the new model answers it
			replacedSinceClosed(name, model);
			return decide(name, sent, channel, rejectUnknownFields);
		}
		double inferenceMs = (System.nanoTime() - inferenceStart) / 1e6;
		double latencyMs = (System.nanoTime() - start) / 1e6;
		Prediction logged = predictionLog.record(logRow(model, channel, answers, decision, inferenceMs, latencyMs));
		return new TabularResult(logged.getId(), answers.sent(), decision, latencyMs);
	}

	/**
	 * After {@code closed} closed under a request: returns when a new model of that name
	 * replaced it (the request is asked again); retired, the request is answered as if it
	 * had come after.
	 */
	private void replacedSinceClosed(String name, TabularModel closed) {
		if (models.find(name).filter(now -> now != closed).isEmpty()) {
			throw new InputRejectedException(HttpStatus.NOT_FOUND, "model.unknown", "tabular model " + name + " closed",
					name);
		}
	}

	/**
	 * What the log keeps of a decision: the answers, the decision and its explanation.
	 */
	private static PredictionRecord logRow(TabularModel model, Channel channel, TabularModel.Answers answers,
			Decision decision, double inferenceMs, double latencyMs) {
		return PredictionRecord.tabular(channel, model.name(), model.sha256(), JSON.writeValueAsString(answers.sent()),
				decision.label(), decision.probabilities(), decision.threshold(), inferenceMs, latencyMs,
				JSON.writeValueAsString(Explanation.of(decision)));
	}

	/** A value as a program sent it, as text the descriptor's checks read: 12.5, true. */
	private static String text(Object value) {
		if (value == null) {
			return null;
		}
		if (value instanceof Double d && Double.isFinite(d)) {
			// 1e20 as the digits it stands for, which the descriptor's checks read
			return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
		}
		return String.valueOf(value);
	}

	/** The answers a logged decision was given, in the form's order. */
	public static Map<String, String> answersOf(Prediction prediction) {
		return JSON.readValue(prediction.getInputJson(), new TypeReference<LinkedHashMap<String, String>>() {
		});
	}

	/** What was logged of a decision's explanation; empty when nothing was. */
	public static Explanation explanationOf(Prediction prediction) {
		if (prediction.getExplanationJson() == null) {
			return new Explanation(null, TabularModel.PROBABILITY, List.of());
		}
		return JSON.readValue(prediction.getExplanationJson(), Explanation.class);
	}

	/**
	 * How much each answer moved the probability of {@code explained}, as logged.
	 *
	 * @param explainedIn {@link TabularModel#PROBABILITY} or
	 * {@link TabularModel#LOG_ODDS}
	 */
	public record Explanation(String explained, String explainedIn, List<Contribution> contributions) {

		public Explanation {
			// logged before linear models were explained in log-odds
			explainedIn = explainedIn == null ? TabularModel.PROBABILITY : explainedIn;
		}

		static Explanation of(Decision decision) {
			return new Explanation(decision.explained(), decision.explainedIn(), decision.contributions());
		}

		public boolean inLogOdds() {
			return TabularModel.LOG_ODDS.equals(explainedIn);
		}

	}

	/** A decision once logged. */
	public record TabularResult(long id, Map<String, String> answers, Decision decision, double latencyMs) {
	}

}
