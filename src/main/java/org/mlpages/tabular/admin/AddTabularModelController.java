package org.mlpages.tabular.admin;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import org.mlpages.system.InputRejectedException;
import org.mlpages.tabular.TabularForm;
import org.mlpages.tabular.TabularModel;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * "Add a model" for an uploaded ONNX file: what the model declares, the description of
 * its fields and classes, a row tried with that description (the generated form, as the
 * model's page will draw it), then published or discarded. The upload itself goes through
 * the Keras page's form ({@code org.mlpages.image.admin.AddModelController}), which sends
 * {@code .onnx} files here.
 */
@Controller
class AddTabularModelController {

	private static final String VIEW = "admin/models/tabular";

	private final TabularDrafts drafts;

	private final MessageSource messages;

	/** The form's fields whose refusal the page writes beside them. */
	private static final java.util.Set<String> SHOWN_BESIDE_THEIR_FIELD = java.util.Set.of("name", "titleEn", "titleFr",
			"thresholdAPercentage");

	AddTabularModelController(TabularDrafts drafts, MessageSource messages) {
		this.drafts = drafts;
		this.messages = messages;
	}

	@GetMapping("/admin/models/tabular/{id}")
	String draft(@PathVariable String id, Model model, Locale locale) {
		TabularDraft draft = find(id);
		return page(model, draft, drafts.formFor(draft), null, locale);
	}

	@PostMapping("/admin/models/tabular/{id}/try")
	String tryRow(@PathVariable String id, @Valid @ModelAttribute("modelForm") TabularModelForm form,
			BindingResult errors, Model model, Locale locale, HttpServletResponse response) throws IOException {
		TabularDraft draft = find(id);
		if (errors.hasErrors()) {
			return refused(errors, model, draft, form, locale, response);
		}
		try (TabularModel tried = drafts.load(draft, form)) {
			TabularModel.Answers answers = tried.read(form.getRow());
			model.addAttribute("tryForm", TabularForm.of(tried, answers.sent(), answers.errors(), messages, locale));
			if (answers.valid()) {
				TabularModel.Decision decision = tried.decide(answers);
				Map<String, Double> byClass = new LinkedHashMap<>();
				decision.probabilities().forEach((c, p) -> byClass.put(tried.className(c, locale), p));
				model.addAttribute("decision", tried.className(decision.label(), locale));
				model.addAttribute("scores", byClass);
			}
			else {
				response.setStatus(HttpStatus.BAD_REQUEST.value());
			}
			return page(model, draft, form, tried, locale);
		}
		catch (InputRejectedException ex) {
			refuse(ex, model, locale, response);
			return page(model, draft, form, null, locale);
		}
	}

	@PostMapping("/admin/models/tabular/{id}/publish")
	String publish(@PathVariable String id, @Valid @ModelAttribute("modelForm") TabularModelForm form,
			BindingResult errors, Model model, Locale locale, HttpServletResponse response) throws IOException {
		TabularDraft draft = find(id);
		if (errors.hasErrors()) {
			return refused(errors, model, draft, form, locale, response);
		}
		try {
			return "redirect:" + drafts.publish(draft, form).pagePath();
		}
		catch (InputRejectedException ex) {
			refuse(ex, model, locale, response);
			return page(model, draft, form, null, locale);
		}
	}

	@PostMapping("/admin/models/tabular/{id}/discard")
	String discard(@PathVariable String id) {
		drafts.discard(find(id).id());
		return "redirect:/admin/models/new";
	}

	private String page(Model model, TabularDraft draft, TabularModelForm form, TabularModel tried, Locale locale) {
		form.pad();
		model.addAttribute("draft", draft);
		model.addAttribute("modelForm", form);
		model.addAttribute("kinds", List.of("number", "integer", "choice", "yes-no"));
		model.addAttribute("nameTaken", drafts.isFolderModel(form.getName()));
		if (!model.containsAttribute("tryForm") && tried == null) {
			// the row to try, drawn from the description as it stands, when it loads
			try (TabularModel described = drafts.load(draft, form)) {
				model.addAttribute("tryForm", TabularForm.of(described, form.getRow(), List.of(), messages, locale));
			}
			catch (InputRejectedException | IOException ex) {
				// described enough to try once the words are in: the form says what is
				// missing
			}
		}
		return VIEW;
	}

	/**
	 * A description the form's own checks refuse: each message beside its field; a value
	 * no field of the page shows (a hidden column number changed in the request) said
	 * above the form.
	 */
	private String refused(BindingResult errors, Model model, TabularDraft draft, TabularModelForm form, Locale locale,
			HttpServletResponse response) {
		response.setStatus(HttpStatus.BAD_REQUEST.value());
		boolean unshown = errors.getGlobalErrorCount() > 0 || errors.getFieldErrors()
			.stream()
			.anyMatch(error -> !SHOWN_BESIDE_THEIR_FIELD.contains(error.getField()));
		if (unshown) {
			model.addAttribute("error", messages.getMessage("addmodel.tabular.unreadable", null, locale));
		}
		return page(model, draft, form, null, locale);
	}

	private void refuse(InputRejectedException ex, Model model, Locale locale, HttpServletResponse response) {
		response.setStatus(ex.status().value());
		model.addAttribute("error", messages.getMessage(ex.messageKey(), ex.messageArguments(), locale));
	}

	private TabularDraft find(String id) {
		return drafts.find(id)
			.orElseThrow(
					() -> new InputRejectedException(HttpStatus.NOT_FOUND, "addmodel.unknown-draft", "no draft " + id));
	}

}
