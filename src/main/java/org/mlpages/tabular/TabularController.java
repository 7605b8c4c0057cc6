package org.mlpages.tabular;

import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.mlpages.chart.BarChart;
import org.mlpages.chart.BarChartBuilder;
import org.mlpages.history.Prediction;
import org.mlpages.history.PredictionAccess;
import org.mlpages.history.PredictionLog;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.monitoring.PredictionMonitor;
import org.mlpages.system.InputRejectedException;
import org.mlpages.tabular.TabularModel.Contribution;
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
 * not decide again.
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

	@GetMapping("/tabular/{name}")
	String form(@PathVariable String name, @RequestParam(name = "example", required = false) Integer example,
			Model model, Locale locale) {
		TabularModel tabular = service.model(name);
		List<Map<String, String>> examples = examples(tabular);
		Map<String, String> values = example != null && example >= 1 && example <= examples.size()
				? examples.get(example - 1) : Map.of();
		return render(tabular, values, List.of(), model, locale);
	}

	@PostMapping("/tabular/{name}")
	String decide(@PathVariable String name, @RequestParam MultiValueMap<String, String> form, Model model,
			Locale locale, HttpServletRequest request, HttpServletResponse response) {
		TabularModel tabular = service.model(name);
		Map<String, String> answers = new LinkedHashMap<>();
		form.forEach((key, values) -> answers.put(key, values.isEmpty() ? null : values.get(0)));
		try {
			long id = service.decide(name, answers, Channel.PAGE, false).id();
			access.remember(request, id, null);
			return "redirect:/tabular/" + name + "/predictions/" + id;
		}
		catch (InvalidAnswersException ex) {
			monitor.refused(request, InvalidAnswersException.REASON);
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			model.addAttribute("error",
					messages.getMessage("tabular.form.invalid", new Object[] { ex.errors().size() }, locale));
			return render(tabular, answers, ex.errors(), model, locale);
		}
	}

	@GetMapping("/tabular/{name}/predictions/{id}")
	String result(@PathVariable String name, @PathVariable long id, Model model, Locale locale,
			HttpServletRequest request) {
		TabularModel tabular = service.model(name);
		Prediction prediction = predictionLog.find(id)
			.filter(found -> found.getModelName().equals(name) && !found.isImage() && access.canSee(request, id))
			.orElseThrow(() -> new InputRejectedException(HttpStatus.NOT_FOUND, "prediction.unknown",
					"no decision " + id + " of " + name));
		Map<String, String> answers = TabularService.answersOf(prediction);
		model.addAttribute("prediction", prediction);
		model.addAttribute("decision", tabular.className(prediction.getLabel(), locale));
		model.addAttribute("positiveName", tabular.className(tabular.positive(), locale));
		Map<String, String> classNames = new LinkedHashMap<>();
		tabular.classes().forEach(c -> classNames.put(c, tabular.className(c, locale)));
		model.addAttribute("classNames", classNames);
		model.addAttribute("feedbackChoices", classNames);
		TabularService.Explanation explanation = TabularService.explanationOf(prediction);
		if (!explanation.contributions().isEmpty()) {
			model.addAttribute("explainedName", tabular.className(explanation.explained(), locale));
			model.addAttribute("explanationChart", chart(tabular, explanation, answers, locale));
		}
		return render(tabular, answers, List.of(), model, locale);
	}

	/**
	 * The answers that moved the decision most, each as "question: answer", to the right
	 * of zero when it raised the explained class's probability, in percentage points.
	 */
	private BarChart chart(TabularModel tabular, TabularService.Explanation explanation, Map<String, String> answers,
			Locale locale) {
		DecimalFormat signed = (DecimalFormat) NumberFormat.getNumberInstance(locale);
		signed.setMinimumFractionDigits(1);
		signed.setMaximumFractionDigits(1);
		signed.setPositivePrefix("+");
		NumberFormat ticks = NumberFormat.getNumberInstance(locale);
		ticks.setMaximumFractionDigits(1);
		BarChartBuilder chart = new BarChartBuilder(
				List.of(messages.getMessage("tabular.explanation.series", null, locale)), signed::format, locale)
			.tickFormat(ticks::format);
		String separator = "fr".equals(locale.getLanguage()) ? " : " : ": ";
		for (Contribution contribution : explanation.contributions().stream().limit(BARS).toList()) {
			// a field renamed since the decision was logged is left out of the chart
			TabularDescriptor.Field field = tabular.descriptor()
				.fieldList()
				.stream()
				.filter(f -> f.name().equals(contribution.field()))
				.findFirst()
				.orElse(null);
			if (field == null) {
				continue;
			}
			chart.row(field.label(locale) + separator + answer(field, answers.get(field.name()), locale),
					new String[] { contribution.change() >= 0 ? "raises" : "lowers" }, contribution.change() * 100);
		}
		return chart.build();
	}

	/** An answer as a person reads it: the option's words, a number the reader's way. */
	private String answer(TabularDescriptor.Field field, String raw, Locale locale) {
		if (raw == null) {
			return "";
		}
		return switch (field.kind()) {
			case CHOICE -> field.optionList()
				.stream()
				.filter(option -> option.value().equals(raw))
				.findFirst()
				.map(option -> option.name(locale))
				.orElse(raw);
			case YES_NO -> messages.getMessage(List.of("true", "yes", "oui", "1").contains(raw.toLowerCase(Locale.ROOT))
					? "tabular.yes" : "tabular.no", null, locale);
			case NUMBER, INTEGER -> {
				Double number = TabularModel.parseNumber(raw);
				String text = number == null ? raw : NumberFormat.getNumberInstance(locale).format(number);
				yield field.unit(locale) == null ? text : text + " " + field.unit(locale);
			}
		};
	}

	private String render(TabularModel tabular, Map<String, String> values, List<FieldError> errors, Model model,
			Locale locale) {
		model.addAttribute("tabular", tabular);
		model.addAttribute("pageTitle", tabular.descriptor().title().in(locale));
		model.addAttribute("description",
				tabular.descriptor().description() == null ? null : tabular.descriptor().description().in(locale));
		model.addAttribute("form", TabularForm.of(tabular, values, errors, messages, locale));
		model.addAttribute("exampleCount", examples(tabular).size());
		return VIEW;
	}

	private static List<Map<String, String>> examples(TabularModel tabular) {
		return tabular.descriptor().examples() == null ? List.of() : tabular.descriptor().examples();
	}

}
