package org.mlpages.batch;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.image.ImageClassificationService;
import org.mlpages.image.ImageModel;
import org.mlpages.system.CsvCells;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.tabular.TabularDescriptor.Field;
import org.mlpages.tabular.TabularModel;
import org.mlpages.tabular.TabularService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.multipart.MultipartFile;

/**
 * A model's second tab: a CSV file of cases scored at once by a tabular model, or photos
 * (several, or a zip of them) by an image model. The batch has its own page, which
 * follows it while it runs (its script moves the bar; without one, the page is reloaded)
 * and offers its results once it is finished; the batches a browser sent are listed under
 * the form, so a person can leave and come back.
 */
@Controller
class BatchController {

	private static final Logger log = LoggerFactory.getLogger(BatchController.class);

	private static final String SENT = BatchController.class.getName() + ".sent";

	/** The refused rows the batch's page lists; the CSV has them all. */
	private static final int REFUSALS_SHOWN = 50;

	private final BatchService service;

	private final TabularService tabular;

	private final ImageClassificationService images;

	private final BatchProperties properties;

	private final MlPagesProperties appProperties;

	private final MessageSource messages;

	BatchController(BatchService service, TabularService tabular, ImageClassificationService images,
			BatchProperties properties, MlPagesProperties appProperties, MessageSource messages) {
		this.service = service;
		this.tabular = tabular;
		this.images = images;
		this.properties = properties;
		this.appProperties = appProperties;
		this.messages = messages;
	}

	@GetMapping({ "/tabular/{name}/batches", "/{name:credit}/batches", "/image/{name}/batches" })
	String form(@PathVariable String name, Model model, Locale locale, HttpServletRequest request) {
		return render(served(name, request, locale), model, request);
	}

	@PostMapping({ "/tabular/{name}/batches", "/{name:credit}/batches" })
	String submit(@PathVariable String name, @RequestParam(name = "file", required = false) MultipartFile file,
			Model model, Locale locale, HttpServletRequest request, HttpServletResponse response) throws IOException {
		Served served = served(name, request, locale);
		return submitted(served, () -> {
			if (file == null || file.isEmpty()) {
				throw new InputRejectedException(HttpStatus.BAD_REQUEST, "batch.rejected.no-file", "no file chosen");
			}
			return service.submit(name, file.getOriginalFilename(), file.getBytes(), Channel.PAGE);
		}, model, locale, request, response);
	}

	/** Several photos, or one zip of photos. */
	@PostMapping("/image/{name}/batches")
	String submitPhotos(@PathVariable String name,
			@RequestParam(name = "files", required = false) List<MultipartFile> files, Model model, Locale locale,
			HttpServletRequest request, HttpServletResponse response) throws IOException {
		Served served = served(name, request, locale);
		return submitted(served, () -> service.submitFiles(name, files == null ? List.of() : files, Channel.PAGE),
				model, locale, request, response);
	}

	/**
	 * One zip as the body, sent by the page's script (body-upload.js): held to the
	 * batch's archive limit rather than the form's. Answers where the batch's page is.
	 */
	@PostMapping(path = "/image/{name}/batches", consumes = { "application/zip", "application/x-zip-compressed" })
	@ResponseBody
	ResponseEntity<Map<String, String>> submitZip(@PathVariable String name,
			@RequestParam(name = "fileName", required = false) String fileName, Locale locale,
			HttpServletRequest request) throws IOException {
		Served served = served(name, request, locale);
		Batch batch = service.submitZip(name, fileName, request.getInputStream(), Channel.PAGE);
		remember(request.getSession(), batch.getId());
		String location = request.getContextPath() + served.pagePath() + "/batches/" + batch.getId();
		return ResponseEntity.created(URI.create(location)).body(Map.of("location", location));
	}

	private String submitted(Served served, Submission submission, Model model, Locale locale,
			HttpServletRequest request, HttpServletResponse response) throws IOException {
		try {
			Batch batch = submission.submit();
			remember(request.getSession(), batch.getId());
			return "redirect:" + served.pagePath() + "/batches/" + batch.getId();
		}
		catch (InputRejectedException ex) {
			if (ex.status() == HttpStatus.NOT_FOUND) {
				throw ex;
			}
			log.info("POST {} refused ({}): {}", request.getRequestURI(), ex.status().value(), ex.getMessage());
			response.setStatus(ex.status().value());
			model.addAttribute("error", messages.getMessage(ex.messageKey(), ex.messageArguments(), locale));
			return render(served, model, request);
		}
	}

	@FunctionalInterface
	private interface Submission {

		Batch submit() throws IOException;

	}

	@GetMapping({ "/tabular/{name}/batches/{id}", "/{name:credit}/batches/{id}", "/image/{name}/batches/{id}" })
	String show(@PathVariable String name, @PathVariable String id, Model model, Locale locale,
			HttpServletRequest request) {
		Served served = served(name, request, locale);
		BatchService.Progress progress = service.progress(batch(name, id));
		model.addAttribute("served", served);
		model.addAttribute("pageTitle", served.title());
		model.addAttribute("batch", progress.batch());
		model.addAttribute("progress", ProgressView.of(progress, messages, locale));
		model.addAttribute("refusals", service.refusals(progress.batch(), REFUSALS_SHOWN, locale));
		return "batch/show";
	}

	@GetMapping(path = { "/tabular/{name}/batches/{id}/progress", "/{name:credit}/batches/{id}/progress",
			"/image/{name}/batches/{id}/progress" }, produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseBody
	ProgressView progress(@PathVariable String name, @PathVariable String id, Locale locale) {
		return ProgressView.of(service.progress(batch(name, id)), messages, locale);
	}

	@GetMapping({ "/tabular/{name}/batches/{id}/results.{format:csv|xlsx}",
			"/{name:credit}/batches/{id}/results.{format:csv|xlsx}",
			"/image/{name}/batches/{id}/results.{format:csv|xlsx}" })
	void results(@PathVariable String name, @PathVariable String id, @PathVariable String format, Locale locale,
			HttpServletResponse response) throws IOException {
		Batch batch = batch(name, id);
		BatchApiController.writeResults(service, batch, format, locale, response);
	}

	/** The header a file needs, and the descriptor's examples as rows. */
	@GetMapping({ "/tabular/{name}/batches/template.csv", "/{name:credit}/batches/template.csv" })
	void template(@PathVariable String name, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		TabularModel served = tabular.servedAt(name, path(request));
		response.setContentType("text/csv;charset=UTF-8");
		response.setHeader("Content-Disposition", "attachment; filename=\"" + served.name() + "-cases.csv\"");
		List<Field> fields = served.descriptor().fieldList();
		Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
		try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
			csv.printRecord(fields.stream().map(Field::name));
			List<Map<String, String>> examples = served.descriptor().examples() == null ? List.of()
					: served.descriptor().examples();
			for (Map<String, String> example : examples) {
				csv.printRecord(
						fields.stream().map(field -> CsvCells.neutralised(example.getOrDefault(field.name(), ""))));
			}
		}
	}

	private String render(Served served, Model model, HttpServletRequest request) {
		model.addAttribute("served", served);
		model.addAttribute("pageTitle", served.title());
		model.addAttribute("maxRows", properties.maxRows());
		model.addAttribute("maxPhotos", properties.maxPhotos());
		model.addAttribute("maxMegabytes", appProperties.upload().maxFileSizeInMegabytes());
		model.addAttribute("maxFormMegabytes", appProperties.upload().maxRequestSize().toMegabytes());
		model.addAttribute("maxArchiveBytes", properties.maxArchiveSize().toBytes());
		model.addAttribute("maxArchiveMegabytes", properties.maxArchiveMegabytes());
		List<Batch> recent = new ArrayList<>();
		HttpSession session = request.getSession(false);
		if (session != null && session.getAttribute(SENT) instanceof List<?> ids) {
			for (Object id : ids) {
				service.find(id.toString())
					.filter(batch -> batch.getModelName().equals(served.name()))
					.ifPresent(recent::add);
			}
		}
		Collections.reverse(recent);
		model.addAttribute("recent", recent);
		return "batch/new";
	}

	private static void remember(HttpSession session, String id) {
		List<String> ids = new ArrayList<>();
		if (session.getAttribute(SENT) instanceof List<?> sent) {
			sent.forEach(sentId -> ids.add(sentId.toString()));
		}
		ids.add(id);
		// the last twenty are enough to come back to
		session.setAttribute(SENT, new ArrayList<>(ids.subList(Math.max(0, ids.size() - 20), ids.size())));
	}

	private Batch batch(String name, String id) {
		Optional<Batch> batch = service.find(id).filter(found -> found.getModelName().equals(name));
		return batch
			.orElseThrow(() -> new InputRejectedException(HttpStatus.NOT_FOUND, "batch.unknown", "no batch " + id));
	}

	/**
	 * The model of that name at its own address, as its own page is: a tabular model
	 * under {@code /tabular} (the credit model at {@code /credit}), an image model under
	 * {@code /image}.
	 */
	private Served served(String name, HttpServletRequest request, Locale locale) {
		String path = path(request);
		if (path.startsWith("/image/")) {
			ImageModel model = images.model(name);
			return new Served(model.name(), model.pagePath(), model.descriptor().title().in(locale), true);
		}
		TabularModel model = tabular.servedAt(name, path);
		return new Served(model.name(), model.pagePath(), model.descriptor().title().in(locale), false);
	}

	private static String path(HttpServletRequest request) {
		return request.getRequestURI().substring(request.getContextPath().length());
	}

	/**
	 * The model a batch page belongs to, as the page shows it.
	 *
	 * @param photos whether it takes photos (an image model) rather than a file of cases
	 */
	record Served(String name, String pagePath, String title, boolean photos) {
	}

	/**
	 * A batch's progress as its page shows it, in the reader's language; the page's
	 * script polls it as JSON to move the bar without reloading.
	 *
	 * @param percent for the bar's width, plainly written
	 */
	record ProgressView(String state, boolean finished, double percent, String summary, String detail) {

		static ProgressView of(BatchService.Progress progress, MessageSource messages, Locale locale) {
			Batch batch = progress.batch();
			String state = batch.getState().name().toLowerCase(Locale.ROOT);
			NumberFormat number = NumberFormat.getIntegerInstance(locale);
			String summary = messages.getMessage("batch.state." + state + (batch.isPhotos() ? ".photos" : ""),
					new Object[] { number.format(progress.done()), number.format(batch.getTotal()) }, locale);
			String detail = messages.getMessage("batch.detail", new Object[] { number.format(progress.scored()),
					number.format(progress.refused()), number.format(progress.pending()) }, locale);
			return new ProgressView(state, batch.getState().isFinished(), progress.percent(), summary, detail);
		}

	}

}
