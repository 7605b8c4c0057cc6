package org.mlpages.credit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.mlpages.catalog.ModelCard;
import org.mlpages.catalog.ModelCatalog;
import org.mlpages.credit.model.CreditField;
import org.mlpages.credit.model.CreditModel;
import org.mlpages.credit.model.ModelProvenanceSummary;
import org.mlpages.system.MenuContributor;
import org.mlpages.system.MenuEntry;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.tabular.BuiltInTabularModel;
import org.mlpages.tabular.TabularDescriptor;
import org.mlpages.tabular.TabularDescriptor.Field;
import org.mlpages.tabular.TabularDescriptor.Kind;
import org.mlpages.tabular.TabularDescriptor.Option;
import org.mlpages.tabular.TabularDescriptorReader;
import org.mlpages.tabular.TabularModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * The credit model from the models folder ({@code credit.model}, its side file
 * {@code credit.report.json} and its descriptor {@code credit.yml}), loaded at start-up
 * and served as a tabular model like any other (its page is {@code /credit}): the form,
 * its checks, the API and the explanation are the tabular models'. Its card tells how it
 * was trained. When it is missing or broken the credit page is left out of the menu and
 * its card says why; the rest of the app serves as usual.
 */
@Component
public class CreditModels implements MenuContributor, ModelCatalog, BuiltInTabularModel {

	public static final String NAME = "credit";

	/** Where programs post an application (the credit API). */
	public static final String API_PATH = "/api/v1/models/" + NAME + "/predictions";

	/**
	 * The decision the page and the history name; the model's own classes are good and
	 * bad.
	 */
	public static final String GRANTED = CreditEngine.GRANTED;

	public static final String REFUSED = CreditEngine.REFUSED;

	private static final Logger log = LoggerFactory.getLogger(CreditModels.class);

	private final Path modelFile;

	private final ReadyCreditModel ready;

	private final String failure;

	private final MessageSource messages;

	CreditModels(MlPagesProperties properties, MessageSource messages) {
		this.messages = messages;
		Path dir = properties.modelsDir();
		this.modelFile = dir.resolve(NAME + ".model");
		ReadyCreditModel loaded = null;
		String reason = null;
		if (Files.isRegularFile(modelFile)) {
			long start = System.nanoTime();
			try {
				CreditModel model = CreditModel.load(modelFile, dir.resolve(NAME + ".report.json"));
				TabularDescriptor words = TabularDescriptorReader.read(dir.resolve(NAME + ".yml"));
				TabularModel tabular = serve(model, words, modelFile, start);
				loaded = new ReadyCreditModel(model, tabular, (System.nanoTime() - start) / 1_000_000);
				log.info("Model {} ready: sha256={}, threshold {}, loaded in {} ms", NAME, model.sha256(),
						model.threshold(), loaded.loadMillis());
			}
			catch (Exception ex) {
				reason = ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
				log.error("Model {} not loaded: {}", NAME, reason);
			}
		}
		this.ready = loaded;
		this.failure = reason;
	}

	/**
	 * The trained model served as a tabular model, with the words of {@code credit.yml}.
	 * @param start when loading began ({@link System#nanoTime()})
	 */
	public static TabularModel serve(CreditModel model, TabularDescriptor words, Path modelFile, long start) {
		return TabularModel.serve(NAME, "/" + NAME, modelFile, model.sha256(), describe(words, model),
				new CreditEngine(model), "in " + NAME + ".yml, ", start);
	}

	/**
	 * The words of {@code credit.yml} on the questions the model itself defines: each
	 * answer's kind, bounds and accepted values in the model's order, its threshold (the
	 * one that costs least), and the decision about granting.
	 */
	static TabularDescriptor describe(TabularDescriptor words, CreditModel model) {
		List<Field> fields = model.schema().fields().stream().map(field -> {
			Field text = words.fieldList()
				.stream()
				.filter(candidate -> field.name().equals(candidate.name()))
				.findFirst()
				.orElse(new Field(field.name(), null, null, null, null, null, null, null, null, null, null, null, null,
						null));
			boolean numeric = field.kind() == CreditField.Kind.NUMERIC;
			Kind kind = !numeric ? Kind.CHOICE : field.integer() ? Kind.INTEGER : Kind.NUMBER;
			List<Option> options = numeric ? null
					: field.categories()
						.stream()
						.map(category -> text.optionList()
							.stream()
							.filter(option -> category.equals(option.value()))
							.findFirst()
							.orElse(new Option(category, null, null)))
						.toList();
			return new Field(field.name(), null, null, kind, text.en(), text.fr(), text.helpEn(), text.helpFr(),
					text.unitEn(), text.unitFr(), numeric ? field.min() : null, numeric ? field.max() : null, options,
					null);
		}).toList();
		return new TabularDescriptor(words.title(), words.description(), words.classes(), GRANTED, model.threshold(),
				null, words.thresholdNote(), fields, words.sections(), words.rangeNote(), words.examples(),
				words.order());
	}

	public Optional<ReadyCreditModel> ready() {
		return Optional.ofNullable(ready);
	}

	@Override
	public Optional<TabularModel> find(String name) {
		return NAME.equals(name) ? ready().map(ReadyCreditModel::tabular) : Optional.empty();
	}

	@Override
	public List<MenuEntry> menuEntries(Locale locale) {
		return ready == null ? List.of()
				: List.of(MenuEntry.ofText("/" + NAME, ready.tabular().descriptor().title().in(locale), 300));
	}

	@Override
	public Optional<String> labelName(String model, String label, Locale locale) {
		if ((model != null && !NAME.equals(model)) || !(GRANTED.equals(label) || REFUSED.equals(label))) {
			return Optional.empty();
		}
		return Optional.of(messages.getMessage("credit.answer." + label, null, locale));
	}

	@Override
	public Optional<ModelCard.Status> status(String model) {
		if (!NAME.equals(model) || (ready == null && failure == null)) {
			return Optional.empty();
		}
		return Optional.of(ready != null ? ModelCard.Status.READY : ModelCard.Status.FAILED);
	}

	@Override
	public Optional<String> title(String model, Locale locale) {
		return NAME.equals(model) ? ready().map(credit -> credit.tabular().descriptor().title().in(locale))
				: Optional.empty();
	}

	@Override
	public List<ModelCard> modelCards(Locale locale) {
		if (ready == null && failure == null) {
			return List.of();
		}
		long size = fileSize();
		if (ready == null) {
			return List.of(new ModelCard(NAME, "tabular-classifier", NAME, ModelCard.Status.FAILED, failure,
					modelFile.getFileName().toString(), size, null, null, null, List.of(), null, 0, null, Map.of()));
		}
		CreditModel model = ready.model();
		ModelProvenanceSummary provenance = model.provenance();
		NumberFormat decimals = NumberFormat.getNumberInstance(locale);
		decimals.setMinimumFractionDigits(3);
		decimals.setMaximumFractionDigits(3);
		NumberFormat percent = NumberFormat.getNumberInstance(locale);
		percent.setMaximumFractionDigits(1);
		Map<String, String> details = new LinkedHashMap<>();
		details.put("credit.card.trainer", trainer(provenance, locale));
		// hyper-parameters are Tribuo's own names, the same in every language
		details.put("credit.card.settings",
				provenance.trainerSettings()
					.entrySet()
					.stream()
					.map(setting -> setting.getKey() + " = " + setting.getValue())
					.collect(Collectors.joining(", ")));
		details.put("credit.card.seed", String.valueOf(provenance.seed()));
		details.put("credit.card.rows", NumberFormat.getIntegerInstance(locale).format(provenance.trainingRows()));
		details.put("credit.card.data", provenance.dataFile() + " (SHA-256 " + provenance.dataSha256() + ")");
		details.put("credit.card.trained-at", trainedAt(provenance.trainedAt(), locale));
		details.put("credit.card.metrics",
				messages.getMessage("credit.card.metrics.value",
						new Object[] { provenance.cvFolds(), decimals.format(provenance.cvAccuracy()),
								decimals.format(provenance.cvAuc()), decimals.format(provenance.cvCostPerApplicant()) },
						locale));
		details.put("credit.card.threshold", messages.getMessage("credit.card.threshold.value",
				new Object[] { percent.format(model.threshold() * 100) }, locale));
		return List.of(new ModelCard(NAME, "tabular-classifier", ready.tabular().descriptor().title().in(locale),
				ModelCard.Status.READY, null, modelFile.getFileName().toString(), size, model.sha256(),
				"Tribuo " + provenance.tribuoVersion(),
				messages.getMessage("credit.card.answers", new Object[] { model.schema().fields().size() }, locale),
				List.of(labelName(NAME, GRANTED, locale).orElseThrow(), labelName(NAME, REFUSED, locale).orElseThrow()),
				null, ready.loadMillis(), "/" + NAME, details));
	}

	/**
	 * The training command's description is English; the one trainer it ships with is
	 * described in the reader's words from its settings.
	 */
	private String trainer(ModelProvenanceSummary provenance, Locale locale) {
		Map<String, String> settings = provenance.trainerSettings();
		if (provenance.trainerClass().endsWith(".LinearSGDTrainer") && settings.containsKey("epochs")
				&& settings.containsKey("optimiser.initialLearningRate")) {
			NumberFormat number = NumberFormat.getNumberInstance(locale);
			return messages.getMessage("credit.card.trainer.linear-sgd",
					new Object[] { settings.getOrDefault("optimiser", "SGD"),
							number.format(Double.parseDouble(settings.get("optimiser.initialLearningRate"))),
							settings.get("epochs") },
					locale);
		}
		return provenance.description() + " (" + simpleName(provenance.trainerClass()) + ")";
	}

	private static String trainedAt(String iso, Locale locale) {
		try {
			return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.LONG, FormatStyle.SHORT)
				.withLocale(locale)
				.withZone(ZoneId.systemDefault())
				.format(Instant.parse(iso));
		}
		catch (DateTimeException ex) {
			return iso;
		}
	}

	private long fileSize() {
		try {
			return Files.size(modelFile);
		}
		catch (java.io.IOException ex) {
			return 0;
		}
	}

	private static String simpleName(String className) {
		return className.substring(className.lastIndexOf('.') + 1);
	}

	/** The trained model, and the tabular model that serves it. */
	public record ReadyCreditModel(CreditModel model, TabularModel tabular, long loadMillis) {
	}

}
