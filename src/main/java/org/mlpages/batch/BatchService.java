package org.mlpages.batch;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.mlpages.catalog.ModelCatalog;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.CsvCells;
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

/**
 * Files of cases scored by a tabular model: accepted whole or refused before any work,
 * kept in the database with their rows, scored in the background by {@link BatchRunner},
 * and written back as CSV with each row's answer or the reason it was refused.
 */
@Service
public class BatchService {

	private static final JsonMapper JSON = JsonMapper.builder().build();

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

	private final List<ModelCatalog> catalogs;

	BatchService(TabularService tabular, BatchRepository batches, BatchRows rows, BatchRunner runner,
			TransactionTemplate transaction, BatchProperties properties, MessageSource messages,
			List<ModelCatalog> catalogs) {
		this.catalogs = catalogs;
		this.tabular = tabular;
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
		Batch batch = new Batch(UUID.randomUUID().toString(), Instant.now(), model.name(),
				channel.name().toLowerCase(Locale.ROOT), originalName, JSON.writeValueAsString(file.header()),
				file.rows().size());
		transaction.executeWithoutResult(status -> {
			batches.save(batch);
			rows.insert(batch.getId(), file.rows());
		});
		runner.enqueue(batch.getId());
		return batch;
	}

	/**
	 * An image model is no unknown model: it takes no files of cases (yet), and says so.
	 */
	private InputRejectedException notTabular(String name) {
		if (catalogs.stream().anyMatch(catalog -> catalog.status(name).isPresent())) {
			return new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "batch.rejected.not-tabular",
					name + " takes no files of cases", name);
		}
		return new InputRejectedException(HttpStatus.NOT_FOUND, "model.unknown", "no tabular model " + name, name);
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
		TabularModel model = tabular.find(batch.getModelName()).orElse(null);
		return rows.refused(batch.getId(), limit)
			.stream()
			.map(refused -> new Refusal(refused.position(), message(refused.errorsJson(), model, locale)))
			.toList();
	}

	public record Refusal(int row, String message) {
	}

	/**
	 * The file as it was sent, each row followed by what became of it: {@code scored}
	 * with the answer and each class's probability, {@code refused} with why, or
	 * {@code pending}. Numbers are written plainly, never the reader's way.
	 */
	public void writeResults(Batch batch, Supplier<Writer> out, Locale locale) throws IOException {
		TabularModel model = tabular.find(batch.getModelName()).orElse(null);
		List<String> columns = JSON.readValue(batch.getColumnsJson(), COLUMNS);
		List<String> classes = new ArrayList<>();
		if (model != null) {
			classes.addAll(model.classes());
		}
		List<String> header = new ArrayList<>();
		header.add("row");
		header.addAll(columns);
		header.add("status");
		header.add("answer");
		classes.forEach(c -> header.add("probability_" + c));
		header.add("message");
		header.add("prediction_id");
		// the stream opened at the first row the database gave: a query that fails leaves
		// the response free for the error page; not closed, it is the caller's
		CSVPrinter[] csv = new CSVPrinter[1];
		IOException[] failure = new IOException[1];
		rows.forEachResult(batch.getId(), result -> {
			try {
				if (csv[0] == null) {
					csv[0] = new CSVPrinter(out.get(), CSVFormat.RFC4180);
					csv[0].printRecord(header.stream().map(CsvCells::neutralised));
				}
				if (failure[0] == null) {
					csv[0].printRecord(resultLine(result, columns.size(), classes, model, locale).stream()
						.map(CsvCells::neutralised));
				}
			}
			catch (IOException ex) {
				failure[0] = ex;
			}
		});
		if (failure[0] != null) {
			throw failure[0];
		}
		if (csv[0] == null) {
			csv[0] = new CSVPrinter(out.get(), CSVFormat.RFC4180);
			csv[0].printRecord(header.stream().map(CsvCells::neutralised));
		}
		csv[0].flush();
	}

	private List<String> resultLine(BatchRows.Result result, int columns, List<String> classes, TabularModel model,
			Locale locale) {
		List<String> line = new ArrayList<>();
		line.add(Integer.toString(result.position()));
		for (int i = 0; i < columns; i++) {
			line.add(i < result.cells().size() ? result.cells().get(i) : "");
		}
		line.add(result.scored() ? "scored" : result.refused() ? "refused" : "pending");
		line.add(result.scored() ? result.label() : "");
		for (String c : classes) {
			Double p = result.probabilities().get(c);
			line.add(p == null ? "" : plain(p));
		}
		line.add(result.refused() ? message(result.errorsJson(), model, locale) : "");
		line.add(result.scored() ? result.predictionId().toString() : "");
		return line;
	}

	static String errorsJson(List<FieldError> errors) {
		return JSON.writeValueAsString(errors);
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

	private static String plain(double value) {
		return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
	}

}
