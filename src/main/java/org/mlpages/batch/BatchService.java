package org.mlpages.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.mlpages.image.ImageClassificationService;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.system.InputRejectedException;
import org.mlpages.tabular.TabularErrorMessages;
import org.mlpages.tabular.TabularModel;
import org.mlpages.tabular.TabularModel.FieldError;
import org.mlpages.tabular.TabularService;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.multipart.MultipartFile;

/**
 * Files of cases scored by a tabular model: accepted whole or refused before any work,
 * kept in the database with their rows, scored in the background by {@link BatchRunner},
 * and written back as CSV with each row's answer or the reason it was refused.
 */
@Service
public class BatchService {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** A photo batch's one column: each photo's name as it was sent. */
	static final String FILE_COLUMN = "file";

	private static final TypeReference<List<String>> COLUMNS = new TypeReference<>() {
	};

	private static final TypeReference<List<FieldError>> ERRORS = new TypeReference<>() {
	};

	private final TabularService tabular;

	private final BatchRepository batches;

	private final BatchRows rows;

	private final BatchRunner runner;

	private final TransactionTemplate transaction;

	private final BatchProperties properties;

	private final MessageSource messages;

	private final ImageClassificationService images;

	private final BatchPhotos photos;

	BatchService(TabularService tabular, ImageClassificationService images, BatchRepository batches, BatchRows rows,
			BatchPhotos photos, BatchRunner runner, TransactionTemplate transaction, BatchProperties properties,
			MessageSource messages) {
		this.tabular = tabular;
		this.images = images;
		this.photos = photos;
		this.batches = batches;
		this.rows = rows;
		this.runner = runner;
		this.transaction = transaction;
		this.properties = properties;
		this.messages = messages;
	}

	/** Where a batch stands, as the page and the API show it. */
	public record Progress(Batch batch, int scored, int refused) {

		public int done() {
			return scored + refused;
		}

		public int pending() {
			return batch.getTotal() - done();
		}

		/** Done rows in percent, with one decimal: what the bar's width is. */
		public double percent() {
			return batch.getTotal() == 0 ? 100 : Math.floor(1000.0 * done() / batch.getTotal()) / 10;
		}

	}

	/**
	 * Reads the file, checks its columns against the model, keeps it and queues it.
	 * @throws org.mlpages.system.InputRejectedException for a file that cannot be a batch
	 * of this model; nothing is kept
	 */
	public Batch submit(String modelName, String originalName, byte[] content, Channel channel) {
		TabularModel model = tabular.find(modelName).orElseThrow(() -> notTabular(modelName));
		CaseFile file = CaseFile.read(content, properties.maxRows());
		CaseColumns.of(model, file.header());
		Batch batch = new Batch(UUID.randomUUID().toString(), Batch.Kind.CASES, Instant.now(), model.name(),
				channel.key(), shown(originalName), JSON.writeValueAsString(file.header()), file.rows().size());
		transaction.executeWithoutResult(status -> {
			batches.save(batch);
			rows.insert(batch.getId(), file.rows());
		});
		runner.enqueue(batch.getId());
		return batch;
	}

	/** Whether the model answers a form (a file of cases), rather than photos. */
	public boolean takesCases(String modelName) {
		return tabular.find(modelName).isPresent();
	}

	/**
	 * An image model is no unknown model: it takes photos, and says so. The image model's
	 * own lookup says whether it is unknown or still loading.
	 */
	private InputRejectedException notTabular(String name) {
		images.model(name);
		return new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "batch.rejected.not-tabular",
				name + " takes photos, not a file of cases", name);
	}

	/**
	 * The files of a form or of a program's request for an image model: one zip of
	 * photos, or the photos themselves.
	 */
	public Batch submitFiles(String modelName, List<MultipartFile> files, Channel channel) throws IOException {
		// a form's file input left empty still sends a part, without a name or a byte
		List<MultipartFile> sent = files.stream()
			.filter(file -> !(file.isEmpty()
					&& (file.getOriginalFilename() == null || file.getOriginalFilename().isEmpty())))
			.toList();
		if (sent.size() == 1 && isZip(sent.get(0))) {
			Path zip = photos.temporaryZip();
			sent.get(0).transferTo(zip);
			return submitZip(modelName, sent.get(0).getOriginalFilename(), zip, channel);
		}
		return submitPhotos(modelName,
				sent.stream().map(file -> new BatchPhotos.Sent(file.getOriginalFilename(), file)).toList(), channel);
	}

	/**
	 * A zip of photos sent as the request's body, held to the archive limit.
	 */
	public Batch submitZip(String modelName, String originalName, InputStream body, Channel channel)
			throws IOException {
		if (takesCases(modelName)) {
			throw new InputRejectedException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "batch.rejected.not-photos",
					modelName + " takes a file of cases, not photos", modelName);
		}
		images.model(modelName);
		return submitZip(modelName, originalName, photos.receiveZip(body), channel);
	}

	/**
	 * A file's name as a page may show it: no control character, 255 characters at most.
	 */
	private static String shown(String name) {
		if (name == null || name.isBlank()) {
			return null;
		}
		String clean = name.replaceAll("[\\p{Cntrl}\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}]", "").strip();
		return clean.length() > 255 ? clean.substring(0, 255) : clean;
	}

	/** A zip by its name or, whatever its name, by its first bytes. */
	private static boolean isZip(MultipartFile file) throws IOException {
		String name = file.getOriginalFilename() == null ? "" : file.getOriginalFilename().toLowerCase(Locale.ROOT);
		if (name.endsWith(".zip")) {
			return true;
		}
		try (InputStream in = file.getInputStream()) {
			byte[] start = in.readNBytes(4);
			return start.length == 4 && start[0] == 'P' && start[1] == 'K' && start[2] == 3 && start[3] == 4;
		}
	}

	/**
	 * Keeps the photos of a form and queues them.
	 * @throws org.mlpages.system.InputRejectedException for photos that cannot be a batch
	 * of this model (no photo, too many, not an image model); nothing is kept
	 */
	public Batch submitPhotos(String modelName, List<BatchPhotos.Sent> sent, Channel channel) throws IOException {
		String model = images.model(modelName).name();
		if (sent.isEmpty()) {
			throw new InputRejectedException(HttpStatus.BAD_REQUEST, "batch.rejected.no-photos", "no photo");
		}
		String id = UUID.randomUUID().toString();
		return accept(id, model, sent.size() == 1 ? sent.get(0).originalName() : null, photos.keepPhotos(id, sent),
				channel);
	}

	/**
	 * Unpacks a zip of photos and queues them; the zip is deleted.
	 * @throws org.mlpages.system.InputRejectedException for a zip that cannot be a batch
	 * of this model; nothing is kept
	 */
	public Batch submitZip(String modelName, String originalName, Path zip, Channel channel) throws IOException {
		try {
			String model = images.model(modelName).name();
			String id = UUID.randomUUID().toString();
			return accept(id, model, originalName, photos.keepZip(id, zip), channel);
		}
		finally {
			Files.deleteIfExists(zip);
		}
	}

	private Batch accept(String id, String model, String originalName, List<BatchPhotos.Kept> kept, Channel channel) {
		Batch batch = new Batch(id, Batch.Kind.PHOTOS, Instant.now(), model, channel.key(), shown(originalName),
				JSON.writeValueAsString(List.of(FILE_COLUMN)), kept.size());
		Map<Integer, String> tooLarge = new HashMap<>();
		kept.stream()
			.filter(BatchPhotos.Kept::tooLarge)
			.forEach(photo -> tooLarge.put(photo.row(),
					photoRefusal("upload.rejected.too-large", photos.maxPhotoBytes() / (1024 * 1024))));
		try {
			transaction.executeWithoutResult(status -> {
				batches.save(batch);
				rows.insert(id, kept.stream().map(photo -> List.of(photo.originalName())).toList(), tooLarge);
			});
		}
		catch (RuntimeException ex) {
			photos.delete(id);
			throw ex;
		}
		runner.enqueue(id);
		return batch;
	}

	/** Why a photo of a batch was refused, kept as a refused case's reasons are. */
	static String photoRefusal(String messageKey, Object... arguments) {
		return errorsJson(List.of(new FieldError(FILE_COLUMN, messageKey, List.of(arguments))));
	}

	public Optional<Batch> find(String id) {
		return id == null || id.length() != 36 ? Optional.empty() : batches.findById(id);
	}

	public Progress progress(Batch batch) {
		BatchRows.Counts counts = rows.counts(batch.getId());
		return new Progress(batch, counts.scored(), counts.refused());
	}

	/** The rows refused so far, with their reasons in the reader's language. */
	public List<Refusal> refusals(Batch batch, int limit, Locale locale) {
		TabularModel model = batch.isPhotos() ? null : tabular.find(batch.getModelName()).orElse(null);
		return rows.refused(batch.getId(), limit)
			.stream()
			.map(refused -> new Refusal(refused.position(),
					batch.isPhotos() ? photoMessage(refused.cells(), refused.errorsJson(), locale)
							: message(refused.errorsJson(), model, locale)))
			.toList();
	}

	public record Refusal(int row, String message) {
	}

	/**
	 * The file as it was sent, each row followed by what became of it: {@code scored}
	 * with the answer and each class's probability, {@code refused} with why, or
	 * {@code pending}.
	 * @param out opened at the first row the database gives: a query that fails leaves
	 * the response free for the error page
	 */
	public void writeResults(Batch batch, Supplier<ResultsFormat> out, Locale locale) throws IOException {
		TabularModel model = batch.isPhotos() ? null : tabular.find(batch.getModelName()).orElse(null);
		List<String> columns = JSON.readValue(batch.getColumnsJson(), COLUMNS);
		List<String> classes = classes(batch, model);
		List<String> header = new ArrayList<>();
		header.add("row");
		header.addAll(columns);
		header.add("status");
		header.add("answer");
		classes.forEach(c -> header.add("probability_" + c));
		header.add("message");
		header.add("prediction_id");
		ResultsFormat[] format = new ResultsFormat[1];
		IOException[] failure = new IOException[1];
		rows.forEachResult(batch.getId(), result -> {
			try {
				if (format[0] == null) {
					format[0] = out.get();
					format[0].line(header);
				}
				if (failure[0] == null) {
					format[0].line(resultLine(batch, result, columns.size(), classes, model, locale));
				}
			}
			catch (IOException ex) {
				failure[0] = ex;
			}
		});
		if (failure[0] != null) {
			throw failure[0];
		}
		if (format[0] == null) {
			format[0] = out.get();
			format[0].line(header);
		}
		format[0].finish();
	}

	/** The model's classes, for a probability column each; none once it is gone. */
	private List<String> classes(Batch batch, TabularModel model) {
		if (!batch.isPhotos()) {
			return model == null ? List.of() : model.classes();
		}
		try {
			return images.model(batch.getModelName()).descriptor().labels().stream().map(label -> label.id()).toList();
		}
		catch (InputRejectedException ex) {
			return List.of();
		}
	}

	private List<Object> resultLine(Batch batch, BatchRows.Result result, int columns, List<String> classes,
			TabularModel model, Locale locale) {
		List<Object> line = new ArrayList<>();
		line.add(result.position());
		for (int i = 0; i < columns; i++) {
			line.add(i < result.cells().size() ? result.cells().get(i) : "");
		}
		line.add(result.scored() ? "scored" : result.refused() ? "refused" : "pending");
		line.add(result.scored() ? result.label() : "");
		for (String c : classes) {
			Double p = result.probabilities().get(c);
			line.add(p == null ? "" : p);
		}
		String why = !result.refused() ? "" : batch.isPhotos() ? photoMessage(List.of(), result.errorsJson(), locale)
				: message(result.errorsJson(), model, locale);
		line.add(why);
		line.add(result.scored() ? (Object) result.predictionId() : "");
		return line;
	}

	static String errorsJson(List<FieldError> errors) {
		return JSON.writeValueAsString(errors);
	}

	/** Why a photo was refused, after its name when there is one to show. */
	private String photoMessage(List<String> cells, String errorsJson, Locale locale) {
		List<String> parts = new ArrayList<>();
		for (FieldError error : JSON.readValue(errorsJson, ERRORS)) {
			parts.add(messages.getMessage(error.code(), error.arguments().toArray(), locale));
		}
		String why = String.join(" ", parts);
		return cells.isEmpty() || cells.get(0).isEmpty() ? why
				: messages.getMessage("batch.refusal.field", new Object[] { cells.get(0), why }, locale);
	}

	private String message(String errorsJson, TabularModel model, Locale locale) {
		List<String> parts = new ArrayList<>();
		for (FieldError error : JSON.readValue(errorsJson, ERRORS)) {
			FieldError readable = new FieldError(error.field(), error.code(),
					error.arguments().stream().map(BatchService::number).toList());
			String label = model != null && model.hasField(error.field()) ? model.field(error.field()).label(locale)
					: error.field();
			parts.add(
					messages.getMessage("batch.refusal.field",
							new Object[] { label,
									model == null ? error.code()
											: TabularErrorMessages.message(readable, model, messages, locale) },
							locale));
		}
		return String.join(" ", parts);
	}

	/** An error's bound as JSON kept it: a number, or "Infinity" for an open end. */
	private static Object number(Object argument) {
		if (argument instanceof String text) {
			try {
				return Double.valueOf(text);
			}
			catch (NumberFormatException ex) {
				return text;
			}
		}
		return argument;
	}

}
