package org.mlpages.tabular;

import java.text.NumberFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.mlpages.history.Prediction;
import org.mlpages.history.PredictionAccess;
import org.mlpages.history.PredictionLog;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.monitoring.PredictionMonitor;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.StaleForm;
import org.mlpages.tabular.TabularModel.FieldError;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A tabular model's page, generated from its descriptor: the form, and after it the
 * decision, each class's probability and which answers moved the decision most. A
 * decision has its own address and shows what was logged with it, so reloading it does
 * not decide again. The built-in credit model's page kept its address, {@code /credit}.
 */
@Controller
class TabularController {

	private static final String VIEW = "tabular/model";

	/** The explanation's chart shows the answers that moved the decision most. */
	static final int BARS = 10;

	private final TabularService service;

	private final PredictionLog predictionLog;

	private final PredictionAccess access;

	private final PredictionMonitor monitor;

	private final MessageSource messages;

	TabularController(TabularService service, PredictionLog predictionLog, PredictionAccess access,
			PredictionMonitor monitor, MessageSource messages) {
		this.service = service;
		this.predictionLog = predictionLog;
		this.access = access;
		this.monitor = monitor;
		this.messages = messages;
	}

	@GetMapping({ "/tabular/{name}", "/{name:credit}" })
	String form(@PathVariable String name, @RequestParam(name = "example", required = false) Integer example,
			@RequestParam MultiValueMap<String, String> form, Model model, Locale locale, HttpServletRequest request) {
		TabularModel tabular = served(name, request);
		if (StaleForm.isShownAgain(request)) {
			// the answers of a form whose session had expired: the person checks them and
			// sends them again
			return render(tabular, answers(form), List.of(), model, locale);
		}
		List<Map<String, String>> examples = examples(tabular);
		Map<String, String> values = example != null && example >= 1 && example <= examples.size()
				? examples.get(example - 1) : Map.of();
		return render(tabular, values, List.of(), model, locale);
	}

	@PostMapping({ "/tabular/{name}", "/{name:credit}" })
	String decide(@PathVariable String name, @RequestParam MultiValueMap<String, String> form, Model model,
			Locale locale, HttpServletRequest request, HttpServletResponse response) {
		TabularModel tabular = served(name, request);
		Map<String, String> answers = answers(form);
		try {
			long id = service.decide(name, answers, Channel.PAGE, false).id();
			access.remember(request, id, null);
			return "redirect:" + tabular.pagePath() + "/predictions/" + id;
		}
		catch (InvalidAnswersException ex) {
			monitor.refused(request, InvalidAnswersException.REASON);
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			model.addAttribute("error",
					messages.getMessage("tabular.form.invalid", new Object[] { ex.errors().size() }, locale));
			return render(tabular, answers, ex.errors(), model, locale);
		}
	}

	@GetMapping({ "/tabular/{name}/predictions/{id}", "/{name:credit}/predictions/{id}" })
	String result(@PathVariable String name, @PathVariable long id, Model model, Locale locale,
			HttpServletRequest request) {
		TabularModel tabular = served(name, request);
		Prediction prediction = predictionLog.find(id)
			.filter(found -> found.getModelName().equals(name) && !found.isImage() && access.canSee(request, id))
			.orElseThrow(() -> new InputRejectedException(HttpStatus.NOT_FOUND, "prediction.unknown",
					"no decision " + id + " of " + name));
		Map<String, String> answers = TabularService.answersOf(prediction);
		model.addAttribute("prediction", prediction);
		model.addAttribute("decision", tabular.className(prediction.getLabel(), locale));
		// a two-class decision reads as good or bad news: its class, or the other
		model.addAttribute("decidedPositive",
				tabular.threshold() == null ? null : tabular.positive().equals(prediction.getLabel()));
		model.addAttribute("positiveName", tabular.className(tabular.positive(), locale));
		Map<String, String> classNames = new LinkedHashMap<>();
		tabular.classes().forEach(c -> classNames.put(c, tabular.className(c, locale)));
		model.addAttribute("classNames", classNames);
		model.addAttribute("feedbackChoices", classNames);
		TabularService.Explanation explanation = TabularService.explanationOf(prediction);
		if (!explanation.contributions().isEmpty()) {
			model.addAttribute("explainedName", tabular.className(explanation.explained(), locale));
			model.addAttribute("explainedInLogOdds", explanation.inLogOdds());
			// shares of a model that says each field's share itself (the credit model's)
			// are against the average training row; the others against each baseline
			model.addAttribute("explainedAgainstAverage", explanation.inLogOdds()
					&& tabular.descriptor().fieldList().stream().allMatch(field -> field.baseline() == null));
			model.addAttribute("explanationChart", ExplainedAnswers
				.of(tabular, explanation, answers, BARS, messages, locale)
				.chart(messages.getMessage(
						explanation.inLogOdds() ? "tabular.explanation.series.log-odds" : "tabular.explanation.series",
						null, locale), locale));
		}
		return render(tabular, answers, List.of(), model, locale);
	}

	/**
	 * The model of that name at its own address: the credit model is at /credit, not also
	 * at /tabular/credit.
	 */
	private TabularModel served(String name, HttpServletRequest request) {
		return service.servedAt(name, request.getRequestURI().substring(request.getContextPath().length()));
	}

	private static Map<String, String> answers(MultiValueMap<String, String> form) {
		Map<String, String> answers = new LinkedHashMap<>();
		form.forEach((key, values) -> answers.put(key, values.isEmpty() ? null : values.get(0)));
		answers.remove("_csrf");
		answers.remove("example");
		return answers;
	}

	private String render(TabularModel tabular, Map<String, String> values, List<FieldError> errors, Model model,
			Locale locale) {
		model.addAttribute("tabular", tabular);
		model.addAttribute("pageTitle", tabular.descriptor().title().in(locale));
		model.addAttribute("description",
				tabular.descriptor().description() == null ? null : tabular.descriptor().description().in(locale));
		model.addAttribute("form", TabularForm.of(tabular, values, errors, messages, locale));
		model.addAttribute("thresholdNote", thresholdNote(tabular, locale));
		model.addAttribute("exampleCount", examples(tabular).size());
		return VIEW;
	}

	/**
	 * The descriptor's words on the threshold; or, when it follows from costs, the costs.
	 */
	private String thresholdNote(TabularModel tabular, Locale locale) {
		TabularDescriptor descriptor = tabular.descriptor();
		if (descriptor.thresholdNote() != null) {
			return descriptor.thresholdNote().in(locale);
		}
		if (descriptor.costs() == null || tabular.threshold() == null) {
			return null;
		}
		NumberFormat number = NumberFormat.getNumberInstance(locale);
		return messages.getMessage("tabular.threshold.costs",
				new Object[] { tabular.className(tabular.positive(), locale),
						number.format(descriptor.costs().falsePositive()),
						number.format(descriptor.costs().falseNegative()) },
				locale);
	}

	private static List<Map<String, String>> examples(TabularModel tabular) {
		return tabular.descriptor().examples() == null ? List.of() : tabular.descriptor().examples();
	}

}
