package org.mlpages.image;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.mlpages.history.Prediction;
import org.mlpages.history.PredictionAccess;
import org.mlpages.history.PredictionLog;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.monitoring.PredictionMonitor;
import org.mlpages.image.photo.TensorPreprocessor;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MlPagesProperties;

import org.springframework.context.MessageSource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartRequest;
import org.springframework.web.servlet.ModelAndView;

/**
 * The page of an image model: a form to upload a photo, and after it the photo, the
 * answer and every class's probability. A result has its own address, so reloading it
 * does not classify the photo again.
 */
@Controller
class ImageClassificationController {

	private static final String VIEW = "image/classify";

	private final ImageClassificationService service;

	private final PredictionLog predictionLog;

	private final UploadStore uploads;

	private final MessageSource messages;

	private final String maxFileSizeInMegabytes;

	private final PredictionAccess access;

	private final PredictionMonitor monitor;

	ImageClassificationController(ImageClassificationService service, PredictionLog predictionLog, UploadStore uploads,
			MessageSource messages, MlPagesProperties properties, PredictionAccess access, PredictionMonitor monitor) {
		this.service = service;
		this.predictionLog = predictionLog;
		this.uploads = uploads;
		this.messages = messages;
		this.maxFileSizeInMegabytes = properties.upload().maxFileSizeInMegabytes();
		this.access = access;
		this.monitor = monitor;
	}

	@ModelAttribute("maxFileSizeInMegabytes")
	String maxFileSizeInMegabytes() {
		return maxFileSizeInMegabytes;
	}

	@GetMapping("/image/{modelName}")
	String form(@PathVariable String modelName, Model model) {
		model.addAttribute("imageModel", service.model(modelName));
		return VIEW;
	}

	/**
	 * The photo waits for its turn in the photo queue, not in the server's thread; the
	 * answer is written when it has been classified.
	 */
	@PostMapping("/image/{modelName}")
	CompletableFuture<ModelAndView> classify(@PathVariable String modelName,
			@RequestParam(name = "image", required = false) MultipartFile image, Locale locale,
			HttpServletRequest request, HttpServletResponse response) {
		ImageModel imageModel = service.model(modelName);
		try {
			if (image == null || (image.isEmpty() && !hasName(image))) {
				throw new InputRejectedException(HttpStatus.BAD_REQUEST, "upload.rejected.missing", "no file chosen");
			}
			if (request instanceof MultipartRequest multipart) {
				ImageClassificationService.requireOnePhoto(multipart, "image");
			}
			return service.classifyInTurn(modelName, image, Channel.PAGE).handle((prediction, failure) -> {
				if (failure == null) {
					access.remember(request, prediction.getId(), prediction.getRecord().storedFile());
					return new ModelAndView("redirect:/image/" + modelName + "/predictions/" + prediction.getId());
				}
				Throwable cause = failure instanceof CompletionException && failure.getCause() != null
						? failure.getCause() : failure;
				if (cause instanceof InputRejectedException rejected) {
					return refused(rejected, imageModel, locale, request, response);
				}
				// the advice answers it, as it would have from the request's thread
				throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
			});
		}
		catch (InputRejectedException ex) {
			return CompletableFuture.completedFuture(refused(ex, imageModel, locale, request, response));
		}
	}

	private ModelAndView refused(InputRejectedException ex, ImageModel imageModel, Locale locale,
			HttpServletRequest request, HttpServletResponse response) {
		monitor.refused(request, ex.reason());
		ex.addRetryAfter(response);
		ModelAndView page = new ModelAndView(VIEW, ex.status());
		page.addObject("imageModel", imageModel);
		page.addObject("maxFileSizeInMegabytes", maxFileSizeInMegabytes);
		page.addObject("error", messages.getMessage(ex.messageKey(), ex.messageArguments(), locale));
		return page;
	}

	@GetMapping("/image/{modelName}/predictions/{id}")
	String result(@PathVariable String modelName, @PathVariable long id,
			@RequestParam(name = "look", defaultValue = "false") boolean look,
			@RequestParam(name = "method", required = false) String method, Model model, HttpServletRequest request,
			Locale locale) {
		ImageModel imageModel = service.model(modelName);
		Prediction prediction = predictionLog.find(id)
			.filter(found -> found.getModelName().equals(modelName) && access.canSee(request, id))
			.orElseThrow(() -> new InputRejectedException(HttpStatus.NOT_FOUND, "prediction.unknown",
					"no prediction " + id + " for model " + modelName));
		model.addAttribute("imageModel", imageModel);
		model.addAttribute("prediction", prediction);
		model.addAttribute("warnings",
				PhotoWarning.of(imageModel, prediction.getImageWidth(), prediction.getImageHeight(), messages, locale));
		Map<String, String> choices = new LinkedHashMap<>();
		imageModel.descriptor().labels().forEach(label -> choices.put(label.id(), label.displayName(locale)));
		model.addAttribute("feedbackChoices", choices);
		// where the map of where the model looked goes: over the part of the photo it saw
		int width = prediction.getImageWidth();
		int height = prediction.getImageHeight();
		java.awt.Rectangle seen = TensorPreprocessor.seenRegion(width, height,
				imageModel.preprocessor().preprocessing());
		model.addAttribute("seen", new double[] { 100.0 * seen.x / width, 100.0 * seen.y / height,
				100.0 * seen.width / width, 100.0 * seen.height / height });
		model.addAttribute("look", look);
		// the class activation map when the model has one; occlusion, which any model
		// has, otherwise or when asked for
		boolean activation = imageModel.endsInGlobalPooling() && !"occlusion".equals(method);
		model.addAttribute("mapMethod", activation ? "class-activation" : "occlusion");
		model.addAttribute("otherMapMethod",
				imageModel.endsInGlobalPooling() ? activation ? "occlusion" : "class-activation" : null);
		return VIEW;
	}

	@GetMapping("/uploads/{storedName}")
	ResponseEntity<FileSystemResource> upload(@PathVariable String storedName, HttpServletRequest request) {
		return uploads.find(storedName)
			.filter(file -> access.canSeeUpload(request, storedName))
			.map(file -> ResponseEntity.ok()
				.contentType(MediaType.parseMediaType(UploadStore.mediaType(storedName)))
				.cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(7)).cachePrivate())
				.header("X-Content-Type-Options", "nosniff")
				.body(new FileSystemResource(file)))
			.orElseThrow(() -> new InputRejectedException(HttpStatus.NOT_FOUND, "upload.unknown",
					"no stored upload named " + storedName));
	}

	private static boolean hasName(MultipartFile image) {
		return image.getOriginalFilename() != null && !image.getOriginalFilename().isBlank();
	}

}
