package org.mlpages.credit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.mlpages.credit.CreditModels.ReadyCreditModel;
import org.mlpages.credit.CreditService.CreditResult;
import org.mlpages.history.Prediction;
import org.mlpages.history.PredictionAccess;
import org.mlpages.history.PredictionLog;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.monitoring.PredictionMonitor;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.StaleForm;

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
 * The credit page: a form with every answer the model needs, and after it the decision,
 * how sure the model is, the threshold it was held against and which answers weighed
 * most. A decision has its own address, so reloading it does not decide again.
 */
@Controller
class CreditController {

	private static final String VIEW = "credit/apply";

	private final CreditService service;

	private final PredictionLog predictionLog;

	private final MessageSource messages;

	private final PredictionAccess access;

	private final PredictionMonitor monitor;

	CreditController(CreditService service, PredictionLog predictionLog, MessageSource messages,
			PredictionAccess access, PredictionMonitor monitor) {
		this.service = service;
		this.predictionLog = predictionLog;
		this.messages = messages;
		this.access = access;
		this.monitor = monitor;
	}

	@GetMapping("/credit")
	String form(@RequestParam(name = "example", required = false) Integer example,
			@RequestParam MultiValueMap<String, String> form, Model model, Locale locale, HttpServletRequest request) {
		ReadyCreditModel credit = service.model();
		if (StaleForm.isShownAgain(request)) {
			// the answers of a form whose session had expired: the person checks them and
			// sends them again
			return render(credit, answers(form), List.of(), model, locale);
		}
		List<Map<String, String>> examples = credit.descriptor().examples() == null ? List.of()
				: credit.descriptor().examples();
		Map<String, String> values = example != null && example >= 1 && example <= examples.size()
				? examples.get(example - 1) : Map.of();
		return render(credit, values, List.of(), model, locale);
	}

	@PostMapping("/credit")
	String decide(@RequestParam MultiValueMap<String, String> form, Model model, Locale locale,
			HttpServletRequest request, HttpServletResponse response) {
		ReadyCreditModel credit = service.model();
		Map<String, String> answers = answers(form);
		try {
			CreditResult result = service.decide(answers, Channel.PAGE, false);
			access.remember(request, result.id(), null);
			return "redirect:/credit/predictions/" + result.id();
		}
		catch (InvalidAnswersException ex) {
			monitor.refused(request, InvalidAnswersException.REASON);
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			model.addAttribute("error",
					messages.getMessage("credit.form.invalid", new Object[] { ex.errors().size() }, locale));
			return render(credit, answers, ex.errors(), model, locale);
		}
	}

	@GetMapping("/credit/predictions/{id}")
	String result(@PathVariable long id, Model model, Locale locale, HttpServletRequest request) {
		ReadyCreditModel credit = service.model();
		Prediction prediction = predictionLog.find(id)
			.filter(found -> found.getModelName().equals(CreditModels.NAME) && !found.isImage()
					&& access.canSee(request, id))
			.orElseThrow(() -> new InputRejectedException(HttpStatus.NOT_FOUND, "prediction.unknown",
					"no credit decision " + id));
		Map<String, String> answers = CreditService.answersOf(prediction);
		model.addAttribute("prediction", prediction);
		model.addAttribute("granted", CreditService.GRANTED.equals(prediction.getLabel()));
		model.addAttribute("probabilityGood", prediction.getProbabilities().get(CreditService.GRANTED));
		Map<String, String> choices = new LinkedHashMap<>();
		choices.put(CreditService.GRANTED, messages.getMessage("credit.decision.granted", null, locale));
		choices.put(CreditService.REFUSED, messages.getMessage("credit.decision.refused", null, locale));
		model.addAttribute("feedbackChoices", choices);
		service.explain(prediction, locale).ifPresent(explanation -> {
			model.addAttribute("explanation", explanation);
			model.addAttribute("explanationChart",
					explanation.chart(messages.getMessage("credit.explanation.series", null, locale), locale));
		});
		return render(credit, answers, List.of(), model, locale);
	}

	private static Map<String, String> answers(MultiValueMap<String, String> form) {
		Map<String, String> answers = new LinkedHashMap<>();
		form.forEach((name, values) -> answers.put(name, values.isEmpty() ? null : values.get(0)));
		answers.remove("_csrf");
		return answers;
	}

	private String render(ReadyCreditModel credit, Map<String, String> values,
			List<org.mlpages.credit.model.FieldError> errors, Model model, Locale locale) {
		model.addAttribute("credit", credit);
		model.addAttribute("form", CreditForm.of(credit, values, errors, messages, locale));
		model.addAttribute("thresholdPercent", credit.model().threshold() * 100);
		model.addAttribute("exampleCount",
				credit.descriptor().examples() == null ? 0 : credit.descriptor().examples().size());
		return VIEW;
	}

}
