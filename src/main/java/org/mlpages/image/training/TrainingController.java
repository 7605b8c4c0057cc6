package org.mlpages.image.training;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import org.mlpages.image.ImageModel;
import org.mlpages.image.ImageModels;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MenuContributor;
import org.mlpages.system.MenuEntry;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.system.StaleForm;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.ServletRequestDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.multipart.MultipartFile;

/**
 * Training a model in the browser, for the administrator: upload a zip with one folder of
 * photos per class, watch the run, read its report, publish the model.
 *
 * <p>
 * The page's script sends the zip as the request body ({@code application/zip}), which
 * lets it show the upload's progress and is held to the training limit
 * ({@code mlpages.training.max-archive-size}); without the script the form posts it as an
 * ordinary multipart upload, held to the photo upload's smaller limit.
 */
@Controller
class TrainingController implements MenuContributor {

	private static final String FORM_VIEW = "training/index";

	private static final String JOB_VIEW = "training/job";

	private final TrainingJobs jobs;

	private final ImageModels imageModels;

	private final TrainingProperties limits;

	private final MlPagesProperties app;

	private final MessageSource messages;

	TrainingController(TrainingJobs jobs, ImageModels imageModels, TrainingProperties limits, MlPagesProperties app,
			MessageSource messages) {
		this.jobs = jobs;
		this.imageModels = imageModels;
		this.limits = limits;
		this.app = app;
		this.messages = messages;
	}

	@Override
	public List<MenuEntry> menuEntries(Locale locale) {
		return List.of(MenuEntry.ofMessage("/training", "menu.training", 850).forAdminOnly());
	}

	@ModelAttribute
	void common(Model model) {
		model.addAttribute("limits", limits);
		model.addAttribute("maxPhotoMegabytes", app.upload().maxFileSizeInMegabytes());
		model.addAttribute("maxFormMegabytes", app.upload().maxRequestSize().toMegabytes());
	}

	@GetMapping("/training")
	String form(Model model, HttpServletRequest request) {
		TrainingForm form = new TrainingForm();
		imageModels.ready().stream().findFirst().map(ImageModel::name).ifPresent(form::setBaseModel);
		if (StaleForm.isShownAgain(request)) {
			// what was typed before the session expired comes back; the zip cannot
			ServletRequestDataBinder binder = new ServletRequestDataBinder(form);
			binder.setAllowedFields("name", "titleEn", "titleFr", "baseModel");
			binder.bind(request);
		}
		return formPage(model, form);
	}

	/** The form without script: the zip as a multipart part. */
	@PostMapping(path = "/training", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	String upload(@Valid @ModelAttribute("trainingForm") TrainingForm form, BindingResult errors,
			@RequestParam(name = "archive", required = false) MultipartFile archive, Model model, Locale locale,
			HttpServletResponse response) throws IOException {
		if (errors.hasErrors()) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return formPage(model, form);
		}
		try {
			if (archive == null || archive.isEmpty()) {
				throw new InputRejectedException(HttpStatus.BAD_REQUEST, "training.rejected.no-archive",
						"no zip chosen");
			}
			try (InputStream in = archive.getInputStream()) {
				TrainingJob job = jobs.start(form, in, archive.getSize());
				return "redirect:/training/" + job.id();
			}
		}
		catch (InputRejectedException ex) {
			response.setStatus(ex.status().value());
			model.addAttribute("error", messages.getMessage(ex.messageKey(), ex.messageArguments(), locale));
			return formPage(model, form);
		}
	}

	/**
	 * The form with its script: the zip as the body, the fields in the query. Answers
	 * JSON, errors included (see {@code RequestErrorAdvice}).
	 */
	@PostMapping(path = "/training",
			consumes = { "application/zip", "application/x-zip-compressed", MediaType.APPLICATION_OCTET_STREAM_VALUE })
	@ResponseBody
	ResponseEntity<Started> uploadBody(@Valid @ModelAttribute("trainingForm") TrainingForm form, BindingResult errors,
			HttpServletRequest request, Locale locale) throws IOException {
		if (errors.hasErrors()) {
			String fields = errors.getFieldErrors()
				.stream()
				.map(error -> messages.getMessage("training." + error.getField(), null, locale) + ": "
						+ messages.getMessage(error, locale))
				.reduce((a, b) -> a + "; " + b)
				.orElse("");
			throw new InputRejectedException(HttpStatus.BAD_REQUEST, "training.rejected.form", errors.toString(),
					fields);
		}
		TrainingJob job = jobs.start(form, request.getInputStream(), request.getContentLengthLong());
		URI location = URI.create(request.getContextPath() + "/training/" + job.id());
		return ResponseEntity.created(location).body(new Started(job.id(), location.toString()));
	}

	@GetMapping("/training/{id}")
	String job(@PathVariable String id, Model model, Locale locale) {
		TrainingJob job = find(id);
		model.addAttribute("job", job);
		model.addAttribute("progress", Progress.of(job, messages, locale));
		if (job.failure() != null) {
			model.addAttribute("failure", failureText(job.failure(), locale));
		}
		return JOB_VIEW;
	}

	@GetMapping(path = "/training/{id}/progress", produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseBody
	Progress progress(@PathVariable String id, Locale locale) {
		return Progress.of(find(id), messages, locale);
	}

	@PostMapping("/training/{id}/cancel")
	String cancel(@PathVariable String id) {
		jobs.cancel(find(id).id());
		return "redirect:/training/" + id;
	}

	@PostMapping("/training/{id}/publish")
	String publish(@PathVariable String id) throws IOException {
		ImageModel model = jobs.publish(id);
		return "redirect:" + model.pagePath();
	}

	private String formPage(Model model, TrainingForm form) {
		model.addAttribute("trainingForm", form);
		model.addAttribute("baseModels", imageModels.ready());
		model.addAttribute("jobs", jobs.jobs());
		return FORM_VIEW;
	}

	private TrainingJob find(String id) {
		return jobs.find(id)
			.orElseThrow(() -> new InputRejectedException(HttpStatus.NOT_FOUND, "training.unknown",
					"no training run " + id));
	}

	private String failureText(TrainingJob.Failure failure, Locale locale) {
		if (failure.code() != null) {
			return messages.getMessage("training.rejected." + failure.code(), failure.arguments(), locale);
		}
		return messages.getMessage("training.failed", new Object[] { failure.message() }, locale);
	}

	/** Where a run just queued can be watched. */
	record Started(String id, String location) {
	}

}
