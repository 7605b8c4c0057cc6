package org.mlpages.image.admin;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import org.mlpages.catalog.AddModelProperties;
import org.mlpages.image.ImageModel;
import org.mlpages.image.ImageModels;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MenuContributor;
import org.mlpages.system.MenuEntry;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.tabular.TabularModels;
import org.mlpages.tabular.admin.TabularDrafts;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "Add a model", for the administrator: upload a Keras file, see what the importer read,
 * name its labels, try a photo, publish; and retire a model. The page's script sends the
 * file as the request body, with progress, up to
 * {@code mlpages.add-model.max-model-size}; without it the form posts multipart, held to
 * the server's smaller limit for forms.
 */
@Controller
class AddModelController implements MenuContributor {

	private static final String NEW_VIEW = "admin/models/new";

	private static final String DRAFT_VIEW = "admin/models/draft";

	private final ModelDrafts drafts;

	private final TabularDrafts tabularDrafts;

	private final TabularModels tabularModels;

	private final ImageModels models;

	private final MessageSource messages;

	private final AddModelProperties limits;

	private final long maxFormMegabytes;

	AddModelController(ModelDrafts drafts, TabularDrafts tabularDrafts, TabularModels tabularModels, ImageModels models,
			AddModelProperties limits, MlPagesProperties app, MessageSource messages) {
		this.drafts = drafts;
		this.tabularDrafts = tabularDrafts;
		this.tabularModels = tabularModels;
		this.models = models;
		this.messages = messages;
		this.limits = limits;
		// without its script the form posts multipart, held to the server's limits for
		// forms
		this.maxFormMegabytes = Math.min(limits.maxModelSize().toMegabytes(),
				Math.min(app.upload().maxFileSize().toMegabytes(), app.upload().maxRequestSize().toMegabytes()));
	}

	@Override
	public List<MenuEntry> menuEntries(Locale locale) {
		return List.of(MenuEntry.ofMessage("/admin/models/new", "menu.addmodel", 860).forAdminOnly());
	}

	@GetMapping("/admin/models/new")
	String newModel(Model model) {
		return newPage(model);
	}

	@PostMapping(path = "/admin/models/new", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	String upload(@RequestParam(name = "model", required = false) MultipartFile file, Model model, Locale locale,
			HttpServletResponse response) throws IOException {
		try {
			if (file == null || file.isEmpty()) {
				throw new InputRejectedException(HttpStatus.BAD_REQUEST, "addmodel.rejected.empty", "no file chosen");
			}
			try (InputStream in = file.getInputStream()) {
				if (TabularDrafts.isOnnx(file.getOriginalFilename())) {
					return "redirect:/admin/models/tabular/"
							+ tabularDrafts.stage(file.getOriginalFilename(), in, file.getSize()).id();
				}
				ModelDraft draft = drafts.stage(file.getOriginalFilename(), in, file.getSize());
				return "redirect:/admin/models/drafts/" + draft.id();
			}
		}
		catch (InputRejectedException ex) {
			refuse(ex, model, locale, response);
			return newPage(model);
		}
	}

	/**
	 * The form with its script: the file as the body, its name in the query. Answers
	 * JSON, refusals included (see {@code RequestErrorAdvice}).
	 */
	@PostMapping(path = "/admin/models/new", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
	@ResponseBody
	ResponseEntity<Staged> uploadBody(@RequestParam(name = "file", required = false) String fileName,
			HttpServletRequest request) throws IOException {
		String id;
		String path;
		if (TabularDrafts.isOnnx(fileName)) {
			id = tabularDrafts.stage(fileName, request.getInputStream(), request.getContentLengthLong()).id();
			path = "/admin/models/tabular/";
		}
		else {
			id = drafts.stage(fileName, request.getInputStream(), request.getContentLengthLong()).id();
			path = "/admin/models/drafts/";
		}
		URI location = URI.create(request.getContextPath() + path + id);
		return ResponseEntity.created(location).body(new Staged(id, location.toString()));
	}

	record Staged(String id, String location) {
	}

	@GetMapping("/admin/models/drafts/{id}")
	String draft(@PathVariable String id, Model model) {
		ModelDraft draft = find(id);
		return draftPage(model, draft, drafts.formFor(draft));
	}

	@PostMapping("/admin/models/drafts/{id}/try")
	String tryPhoto(@PathVariable String id, @Valid @ModelAttribute("modelForm") ModelForm form, BindingResult errors,
			@RequestParam(name = "photo", required = false) MultipartFile photo, Model model, Locale locale,
			HttpServletResponse response) throws IOException {
		ModelDraft draft = find(id);
		if (errors.hasErrors()) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return draftPage(model, draft, form);
		}
		try {
			if (photo == null || photo.isEmpty()) {
				throw new InputRejectedException(HttpStatus.BAD_REQUEST, "addmodel.rejected.no-photo", "no photo");
			}
			float[] scores = drafts.tryPhoto(draft, form, photo.getBytes());
			Map<String, Float> byLabel = new LinkedHashMap<>();
			for (int i = 0; i < scores.length && i < form.getLabelIds().size(); i++) {
				byLabel.put(form.getLabelIds().get(i), scores[i]);
			}
			model.addAttribute("scores", byLabel);
		}
		catch (InputRejectedException ex) {
			refuse(ex, model, locale, response);
		}
		return draftPage(model, draft, form);
	}

	@PostMapping("/admin/models/drafts/{id}/publish")
	String publish(@PathVariable String id, @Valid @ModelAttribute("modelForm") ModelForm form, BindingResult errors,
			Model model, Locale locale, HttpServletResponse response) throws IOException {
		ModelDraft draft = find(id);
		if (errors.hasErrors()) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return draftPage(model, draft, form);
		}
		try {
			ImageModel published = drafts.publish(draft, form);
			return "redirect:" + published.pagePath();
		}
		catch (InputRejectedException ex) {
			refuse(ex, model, locale, response);
			return draftPage(model, draft, form);
		}
	}

	@PostMapping("/admin/models/drafts/{id}/discard")
	String discard(@PathVariable String id) {
		drafts.discard(find(id).id());
		return "redirect:/admin/models/new";
	}

	@PostMapping("/admin/models/{name}/retire")
	String retire(@PathVariable String name, RedirectAttributes redirect) throws IOException {
		// a tabular model of that name, else an image model (or a 404)
		if (!tabularModels.retire(name)) {
			drafts.retire(name);
		}
		redirect.addFlashAttribute("retired", name);
		return "redirect:/admin/models/new";
	}

	private String newPage(Model model) {
		model.addAttribute("limits", limits);
		model.addAttribute("maxFormMegabytes", maxFormMegabytes);
		model.addAttribute("served", models.ready());
		model.addAttribute("tabularServed", tabularModels.all());
		model.addAttribute("tabularFailed", tabularModels.failedNames());
		// those that did not load can be retired too (their reason is on the About page)
		model.addAttribute("failed",
				models.modelCards(java.util.Locale.ENGLISH)
					.stream()
					.filter(card -> card.status() == org.mlpages.catalog.ModelCard.Status.FAILED)
					.map(org.mlpages.catalog.ModelCard::name)
					.toList());
		return NEW_VIEW;
	}

	private String draftPage(Model model, ModelDraft draft, ModelForm form) {
		model.addAttribute("draft", draft);
		model.addAttribute("modelForm", form);
		model.addAttribute("imported", draft.imported());
		// as Keras prints shapes: None for any size
		model.addAttribute("inputShape",
				java.util.Arrays.toString(draft.imported().inputShape()).replace("-1", "None"));
		model.addAttribute("nameTaken", drafts.isTaken(form.getName()));
		long[] shape = draft.imported().inputShape();
		// a model that takes any size, or a flat vector, needs the picture's size said
		model.addAttribute("needsSize", shape.length == 2 || (shape.length >= 3 && (shape[1] < 0 || shape[2] < 0)));
		return DRAFT_VIEW;
	}

	private void refuse(InputRejectedException ex, Model model, Locale locale, HttpServletResponse response) {
		response.setStatus(ex.status().value());
		model.addAttribute("error", messages.getMessage(ex.messageKey(), ex.messageArguments(), locale));
	}

	private ModelDraft find(String id) {
		return drafts.find(id)
			.orElseThrow(
					() -> new InputRejectedException(HttpStatus.NOT_FOUND, "addmodel.unknown-draft", "no draft " + id));
	}

}
