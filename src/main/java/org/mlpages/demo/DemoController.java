package org.mlpages.demo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.mlpages.credit.CreditModels;
import org.mlpages.credit.CreditModels.ReadyCreditModel;
import org.mlpages.history.Prediction;
import org.mlpages.history.PredictionAccess;
import org.mlpages.history.PredictionLog;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.image.ImageClassificationService;
import org.mlpages.image.ImageModel;
import org.mlpages.image.ImageModels;
import org.mlpages.image.UploadedPhoto;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MenuContributor;
import org.mlpages.system.MenuEntry;
import org.mlpages.tabular.ExplainedAnswers;
import org.mlpages.tabular.TabularModel;
import org.mlpages.tabular.TabularService;
import org.mlpages.tabular.TabularService.TabularResult;

import org.springframework.context.MessageSource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The page a first visitor meets: sample photos and applicants, each sent to the real
 * model in one click, through the same services as the model's own page, and logged as
 * demo predictions. Each click is a plain form post answered by a redirect back to the
 * page with the answer at its sample, so the page works without JavaScript and a reload
 * does not predict again; the page's script makes the same post and puts the answer in
 * place.
 */
@Controller
class DemoController implements MenuContributor {

	private static final String VIEW = "demo/index";

	/**
	 * The top contributions a sample's answer shows; the full result page has them all.
	 */
	private static final int REASONS = 3;

	private final DemoSamples samples;

	private final DemoProperties properties;

	private final ImageModels imageModels;

	private final ImageClassificationService images;

	private final CreditModels creditModels;

	private final TabularService tabular;

	private final MessageSource messages;

	private final PredictionLog predictionLog;

	private final PredictionAccess access;

	DemoController(DemoSamples samples, DemoProperties properties, ImageModels imageModels,
			ImageClassificationService images, CreditModels creditModels, TabularService tabular,
			MessageSource messages, PredictionLog predictionLog, PredictionAccess access) {
		this.samples = samples;
		this.properties = properties;
		this.imageModels = imageModels;
		this.images = images;
		this.creditModels = creditModels;
		this.tabular = tabular;
		this.messages = messages;
		this.predictionLog = predictionLog;
		this.access = access;
	}

	@Override
	public List<MenuEntry> menuEntries(Locale locale) {
		return List.of(MenuEntry.ofMessage("/demo", "menu.demo", 10));
	}

	@GetMapping("/demo")
	String demo(@RequestParam(name = "photo", required = false) String photoId,
			@RequestParam(name = "applicant", required = false) String applicantId,
			@RequestParam(name = "prediction", required = false) Long predictionId, Model model, Locale locale,
			HttpServletRequest request) {
		Optional<ImageModel> photoModel = readyPhotoModel();
		Optional<ReadyCreditModel> creditModel = creditModels.ready();
		model.addAttribute("photoModel", photoModel.orElse(null));
		// which sample fools a model was measured on the configured one; another may get
		// it right
		model.addAttribute("photoModelIsTheConfiguredOne",
				photoModel.map(ready -> ready.name().equals(properties.imageModel())).orElse(false));
		model.addAttribute("photos", photoModel.isPresent() ? samples.photos() : List.of());
		model.addAttribute("credit", creditModel.orElse(null));
		model
			.addAttribute("applicants",
					creditModel.map(ready -> samples.applicants()
						.stream()
						.map(applicant -> ApplicantCard.of(applicant, ready, locale))
						.toList()).orElse(List.of()));
		Optional<Prediction> shown = predictionId == null ? Optional.empty()
				: predictionLog.find(predictionId)
					.filter(prediction -> Channel.DEMO.name().equalsIgnoreCase(prediction.getChannel())
							&& access.canSee(request, predictionId));
		shown.filter(Prediction::isImage)
			.flatMap(prediction -> samples.photo(photoId)
				.filter(photo -> photo.file().equals(prediction.getOriginalName()))
				.map(photo -> PhotoAnswer.of(photo, prediction, imageModels.find(prediction.getModelName()), locale)))
			.ifPresent(answer -> model.addAttribute("photoAnswer", answer));
		shown.filter(prediction -> !prediction.isImage())
			.flatMap(prediction -> samples.applicant(applicantId)
				.flatMap(applicant -> creditModel
					.map(ready -> applicantAnswer(ready.tabular(), applicant, prediction, locale))))
			.ifPresent(answer -> model.addAttribute("applicantAnswer", answer));
		return VIEW;
	}

	@GetMapping("/demo/photos/{id}.jpg")
	ResponseEntity<byte[]> photo(@PathVariable String id) {
		DemoSamples.Photo photo = samples.photo(id).orElseThrow(() -> unknownSample(id));
		return ResponseEntity.ok()
			.contentType(MediaType.IMAGE_JPEG)
			.cacheControl(CacheControl.maxAge(Duration.ofDays(1)).cachePublic())
			.body(photo.bytes());
	}

	@PostMapping("/demo/photos/{id}")
	String runPhoto(@PathVariable String id, HttpServletRequest request) {
		DemoSamples.Photo photo = samples.photo(id).orElseThrow(() -> unknownSample(id));
		ImageModel model = photoModelToRun();
		Prediction prediction = images.classify(model.name(), UploadedPhoto.of(photo.file(), photo.bytes()),
				Channel.DEMO);
		// the full result page, which shows the stored copy of the photo, is this
		// visitor's
		access.remember(request, prediction.getId(), prediction.getRecord().storedFile());
		return "redirect:/demo?photo=" + id + "&prediction=" + prediction.getId() + "#sample-photo-" + id;
	}

	@PostMapping("/demo/applicants/{id}")
	String runApplicant(@PathVariable String id, HttpServletRequest request) {
		DemoSamples.Applicant applicant = samples.applicant(id).orElseThrow(() -> unknownSample(id));
		TabularResult result = tabular.decide(CreditModels.NAME, applicant.answers(), Channel.DEMO, true);
		access.remember(request, result.id(), null);
		return "redirect:/demo?applicant=" + id + "&prediction=" + result.id() + "#sample-applicant-" + id;
	}

	/**
	 * The model whose photos the page shows: the configured one once ready, else any
	 * ready image model. The page never waits for a model still loading: it is the first
	 * page a visitor meets, also in the seconds after a start.
	 */
	private Optional<ImageModel> readyPhotoModel() {
		return imageModels.find(properties.imageModel()).or(() -> imageModels.ready().stream().findFirst());
	}

	/**
	 * The model a click runs: the configured one, waited for while it loads (then 503, as
	 * every photo for a loading model); any ready image model when it is not served.
	 */
	private ImageModel photoModelToRun() {
		String wanted = properties.imageModel();
		if (imageModels.find(wanted).isPresent() || imageModels.isLoading(wanted)) {
			return images.model(wanted);
		}
		return imageModels.ready()
			.stream()
			.findFirst()
			.orElseThrow(() -> new InputRejectedException(HttpStatus.NOT_FOUND, "model.unknown",
					"no image model is ready for the demo", wanted));
	}

	private ApplicantAnswer applicantAnswer(TabularModel credit, DemoSamples.Applicant applicant, Prediction prediction,
			Locale locale) {
		List<ExplainedAnswers.Bar> reasons = ExplainedAnswers
			.of(credit, TabularService.explanationOf(prediction), TabularService.answersOf(prediction), REASONS,
					messages, locale)
			.bars();
		return new ApplicantAnswer(applicant.id(), prediction, CreditModels.GRANTED.equals(prediction.getLabel()),
				prediction.getProbabilities().get(CreditModels.GRANTED), reasons);
	}

	private static InputRejectedException unknownSample(String id) {
		return new InputRejectedException(HttpStatus.NOT_FOUND, "demo.unknown", "no demo sample " + id);
	}

	/** An applicant as its card introduces them, in the reader's words. */
	record ApplicantCard(DemoSamples.Applicant applicant, String purpose, int amount, int months, int age) {

		static ApplicantCard of(DemoSamples.Applicant applicant, ReadyCreditModel credit, Locale locale) {
			String purpose = applicant.answers().get("purpose");
			String words = credit.tabular().hasField("purpose")
					? credit.tabular().field("purpose").optionName(purpose, locale) : purpose;
			return new ApplicantCard(applicant, words, applicant.number("credit_amount"), applicant.number("duration"),
					applicant.number("age"));
		}

	}

	/**
	 * A photo's answer at its sample.
	 *
	 * @param right whether the model named what the photo shows
	 */
	record PhotoAnswer(String photoId, Prediction prediction, String label, String trueLabel, boolean right,
			Map<String, Double> probabilities) {

		static PhotoAnswer of(DemoSamples.Photo photo, Prediction prediction, Optional<ImageModel> model,
				Locale locale) {
			Map<String, Double> probabilities = new LinkedHashMap<>();
			prediction.getProbabilities().forEach((label, p) -> probabilities.put(words(model, label, locale), p));
			return new PhotoAnswer(photo.id(), prediction, words(model, prediction.getLabel(), locale),
					words(model, photo.trueLabel(), locale), photo.trueLabel().equals(prediction.getLabel()),
					probabilities);
		}

		private static String words(Optional<ImageModel> model, String label, Locale locale) {
			return model.map(found -> found.displayLabel(label, locale)).orElse(label);
		}

	}

	/** An applicant's decision at its sample, with the answers that weighed most. */
	record ApplicantAnswer(String applicantId, Prediction prediction, boolean granted, double probabilityGood,
			List<ExplainedAnswers.Bar> reasons) {
	}

}
