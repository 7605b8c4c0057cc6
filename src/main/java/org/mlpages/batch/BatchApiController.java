package org.mlpages.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MlPagesProperties;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Batches for programs: a CSV file of cases or a zip of photos in (as a form's file or as
 * the body), or the photos themselves as a form's files; 202 and the batch's address out;
 * its progress at that address; its results as CSV once it is finished.
 */
@RestController
class BatchApiController {

	private final BatchService service;

	private final long maxBytes;

	BatchApiController(BatchService service, MlPagesProperties properties) {
		this.service = service;
		this.maxBytes = properties.upload().maxFileSize().toBytes();
	}

	/**
	 * A form: for a tabular model, its CSV file as {@code file}; for an image model, a
	 * zip as {@code file} or the photos as {@code files}.
	 */
	@PostMapping(path = "/api/v1/models/{name}/batches", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<Status> submitFile(@PathVariable String name,
			@RequestParam(name = "file", required = false) MultipartFile file,
			@RequestParam(name = "files", required = false) List<MultipartFile> files) throws IOException {
		if (!service.takesCases(name)) {
			List<MultipartFile> sent = new ArrayList<>();
			if (file != null) {
				sent.add(file);
			}
			if (files != null) {
				sent.addAll(files);
			}
			return accepted(service.submitFiles(name, sent, Channel.API));
		}
		if (file == null || file.isEmpty()) {
			throw new InputRejectedException(HttpStatus.BAD_REQUEST, "batch.rejected.no-file", "no file part");
		}
		return accepted(service.submit(name, file.getOriginalFilename(), file.getBytes(), Channel.API));
	}

	/** A zip of photos for an image model, as the body. */
	@PostMapping(path = "/api/v1/models/{name}/batches",
			consumes = { "application/zip", "application/x-zip-compressed" })
	ResponseEntity<Status> submitZip(@PathVariable String name, HttpServletRequest request) throws IOException {
		return accepted(service.submitZip(name, null, request.getInputStream(), Channel.API));
	}

	@PostMapping(path = "/api/v1/models/{name}/batches", consumes = { "text/csv", MediaType.TEXT_PLAIN_VALUE })
	ResponseEntity<Status> submitBody(@PathVariable String name, HttpServletRequest request) throws IOException {
		return accepted(service.submit(name, null, readAtMost(request.getInputStream()), Channel.API));
	}

	@GetMapping("/api/v1/batches/{id}")
	Status status(@PathVariable String id) {
		return Status.of(service.progress(batch(id)));
	}

	@GetMapping("/api/v1/batches/{id}/results.{format:csv|xlsx}")
	void results(@PathVariable String id, @PathVariable String format, Locale locale, HttpServletResponse response)
			throws IOException {
		BatchService.Progress progress = service.progress(batch(id));
		if (!progress.batch().getState().isFinished()) {
			throw new InputRejectedException(HttpStatus.CONFLICT, "batch.unfinished",
					"results of unfinished batch " + id, progress.done(), progress.batch().getTotal());
		}
		writeResults(service, progress.batch(), format, locale, response);
	}

	/** As a CSV file, or as a spreadsheet when {@code format} is {@code xlsx}. */
	static void writeResults(BatchService service, Batch batch, String format, Locale locale,
			HttpServletResponse response) throws IOException {
		boolean xlsx = "xlsx".equals(format);
		service.writeResults(batch, () -> {
			try {
				response.setContentType(xlsx ? ResultsFormat.XLSX_TYPE : ResultsFormat.CSV_TYPE);
				response.setHeader("Content-Disposition", "attachment; filename=\"" + batch.getModelName() + "-batch-"
						+ batch.getId().substring(0, 8) + (xlsx ? ".xlsx" : ".csv") + "\"");
				return xlsx ? ResultsFormat.xlsx(response.getOutputStream())
						: ResultsFormat.csv(response.getOutputStream());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}, locale);
	}

	private Batch batch(String id) {
		return service.find(id)
			.orElseThrow(() -> new InputRejectedException(HttpStatus.NOT_FOUND, "batch.unknown", "no batch " + id));
	}

	private ResponseEntity<Status> accepted(Batch batch) {
		return ResponseEntity.accepted()
			.location(URI.create("/api/v1/batches/" + batch.getId()))
			.body(Status.of(service.progress(batch)));
	}

	private byte[] readAtMost(InputStream in) throws IOException {
		byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
		if (content.length > maxBytes) {
			throw new InputRejectedException(HttpStatus.CONTENT_TOO_LARGE, "batch.rejected.too-large",
					"batch body over " + maxBytes + " bytes", maxBytes / (1024 * 1024));
		}
		return content;
	}

	/**
	 * A batch as a program follows it.
	 *
	 * @param kind {@code cases} (a CSV file for a tabular model) or {@code photos}
	 * @param state {@code queued}, {@code running}, {@code done} or {@code failed}
	 * @param percent rows done, out of 100
	 * @param results where the CSV is, once the batch is finished
	 * @param spreadsheet where the same is as a spreadsheet (XLSX)
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Status(String id, String model, String kind, String state, int total, int scored, int refused, int pending,
			double percent, Instant createdAt, Instant finishedAt, String failure, String results, String spreadsheet,
			String history) {

		static Status of(BatchService.Progress progress) {
			Batch batch = progress.batch();
			boolean finished = batch.getState().isFinished();
			return new Status(batch.getId(), batch.getModelName(), batch.getKind().name().toLowerCase(Locale.ROOT),
					batch.getState().name().toLowerCase(Locale.ROOT), batch.getTotal(), progress.scored(),
					progress.refused(), progress.pending(), progress.percent(), batch.getCreatedAt(),
					batch.getFinishedAt(), batch.getFailure(),
					finished ? "/api/v1/batches/" + batch.getId() + "/results.csv" : null,
					finished ? "/api/v1/batches/" + batch.getId() + "/results.xlsx" : null,
					"/history?batch=" + batch.getId());
		}

	}

}
