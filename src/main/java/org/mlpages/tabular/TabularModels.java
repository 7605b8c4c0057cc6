package org.mlpages.tabular;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.mlpages.catalog.FolderModels;
import org.mlpages.catalog.ModelCard;
import org.mlpages.catalog.ModelCatalog;
import org.mlpages.catalog.ModelFiles;
import org.mlpages.catalog.ServedModels;
import org.mlpages.onnx.OnnxRuntimeNatives;
import org.mlpages.system.MenuContributor;
import org.mlpages.system.MenuEntry;
import org.mlpages.system.MlPagesProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * The tabular models of the models folder, loaded at start-up: each {@code name.onnx}
 * with its descriptor {@code name.yml}. A model that cannot serve (no descriptor, one
 * that does not fit the model, a corrupt file) and a pickle put there ({@code .pkl},
 * {@code .joblib}, never opened) get a card saying why, on the About page and in health;
 * the others serve.
 */
@Component
public class TabularModels implements MenuContributor, ModelCatalog, FolderModels, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(TabularModels.class);

	/** The built-in credit model's name, which its own page serves. */
	private static final String CREDIT = "credit";

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

	/** What the model cards and the models' API call a tabular model. */
	private static final String KIND = "tabular-classifier";

	/** One added from the admin's page joins them while others are served. */
	private final ServedModels<TabularModel> models = new ServedModels<>();

	private final MessageSource messages;

	private final Path dir;

	private final List<BuiltInTabularModel> builtIn;

	private final Path cacheDir;

	public TabularModels(MlPagesProperties properties, MessageSource messages, List<BuiltInTabularModel> builtIn)
			throws IOException {
		this.messages = messages;
		this.builtIn = builtIn;
		this.cacheDir = properties.cacheDir();
		this.dir = properties.modelsDir();
		if (!Files.isDirectory(dir)) {
			return;
		}
		Map<String, String> names = inFolder();
		if (names.keySet().stream().anyMatch(name -> Files.exists(dir.resolve(name + ".onnx")))) {
			prepareOnnxRuntime();
		}
		names.keySet().forEach(this::load);
	}

	/**
	 * Loads {@code name.onnx} with {@code name.yml} into ready, or records why not in
	 * failed; a pickle alone is reported, never opened.
	 * @return the model, or null
	 */
	private TabularModel load(String name) {
		this.models.loadedFrom(name, ModelFiles.fingerprint(dir, name, FILES));
		Path file = Stream.of(".onnx", ".pkl", ".pickle", ".joblib")
			.map(extension -> dir.resolve(name + extension))
			.filter(Files::isRegularFile)
			.findFirst()
			.orElse(dir.resolve(name + ".onnx"));
		String fileName = file.getFileName().toString();
		if (fileName.endsWith(".onnx")) {
			// the model exported beside the pickle it came from: the pickle stays unread
			Stream.of(".pkl", ".pickle", ".joblib")
				.map(pickle -> dir.resolve(name + pickle))
				.filter(Files::exists)
				.forEach(pickle -> log.warn("{} is a Python pickle and is never opened; {} serves",
						pickle.getFileName(), fileName));
		}
		try {
			if (CREDIT.equals(name)) {
				throw new InvalidTabularModelException(
						fileName + ": the name credit is the built-in credit model's; rename the file");
			}
			if (!ModelFiles.isValidName(name)) {
				throw new InvalidTabularModelException(fileName + ": a model's name (its file's, without .onnx) is"
						+ " letters, digits, '_' and '-', as its page's address is made of it");
			}
			TabularModel model = TabularModel.load(name, file, dir.resolve(name + ".yml"));
			TabularModel before = models.ready(name, model);
			if (before != null) {
				before.close();
			}
			log.info("Tabular model {} ready: {} ({}), {} fields, classes {}, loaded in {} ms", name, fileName,
					onnx(model).facts().producer(), model.descriptor().fieldList().size(), model.classes(),
					model.loadMillis());
			return model;
		}
		catch (InvalidTabularModelException | IOException ex) {
			models.failed(name, file, ex.getMessage());
			log.error("Tabular model {} not loaded: {}", name, ex.getMessage());
		}
		catch (RuntimeException | LinkageError ex) {
			// ONNX Runtime's natives missing on this platform, or failing: this model
			// does not serve, the others do
			models.failed(name, file, "ONNX Runtime failed: " + ex);
			log.error("Tabular model {} not loaded", name, ex);
		}
		return null;
	}

	/** A tabular model's files: what its fingerprint is made of. */
	private static final List<String> FILES = List.of(".onnx", ".yml", ".pkl", ".pickle", ".joblib");

	@Override
	public Map<String, String> inFolder() {
		Map<String, String> names = new java.util.TreeMap<>();
		if (!Files.isDirectory(dir)) {
			return names;
		}
		try (Stream<Path> listed = Files.list(dir)) {
			listed.filter(Files::isRegularFile).map(file -> file.getFileName().toString()).forEach(fileName -> {
				String lower = fileName.toLowerCase(Locale.ROOT);
				if (Stream.of(".onnx", ".pkl", ".pickle", ".joblib").anyMatch(lower::endsWith)) {
					String name = fileName.substring(0, fileName.lastIndexOf('.'));
					names.put(name, ModelFiles.fingerprint(dir, name, FILES));
				}
			});
		}
		catch (IOException ex) {
			log.error("Cannot list the models folder {}: {}", dir.toAbsolutePath(), ex.getMessage());
		}
		return names;
	}

	@Override
	public Map<String, String> loaded() {
		return models.loaded();
	}

	/**
	 * When the new files do not load, the model already served stays (in memory) and the
	 * log says why.
	 */
	@Override
	public synchronized void reload(String name) {
		if (models.isLoadedFrom(name, ModelFiles.fingerprint(dir, name, FILES))) {
			// loaded from these very files meanwhile (a publication here)
			return;
		}
		if (Files.exists(dir.resolve(name + ".onnx"))) {
			prepareOnnxRuntime();
		}
		if (load(name) == null) {
			models.keepServing(name);
		}
	}

	@Override
	public synchronized void forget(String name) {
		models.remove(name).ifPresent(TabularModel::close);
		log.info("Tabular model {} no longer served: its files left the models folder", name);
	}

	/**
	 * ONNX Runtime's libraries from the cache folder, copied there once, rather than into
	 * a new temporary folder at every start (OnnxRuntimeNatives); before the first model
	 * is opened. When the cache cannot hold them, ONNX Runtime copies them itself.
	 */
	public void prepareOnnxRuntime() {
		try {
			OnnxRuntimeNatives.ensureExtracted(cacheDir);
		}
		catch (java.io.UncheckedIOException ex) {
			log.warn("ONNX Runtime's libraries not cached ({}); it copies them into a temporary folder",
					ex.getMessage());
		}
	}

	/** The models folder, where a published model's files go. */
	public Path directory() {
		return dir;
	}

	/**
	 * Serves {@code name.onnx} and {@code name.yml}, just put into the models folder: its
	 * page, menu entry, card and API appear at once.
	 * @throws InvalidTabularModelException when they do not load together; nothing served
	 */
	public synchronized TabularModel publish(String name) throws IOException {
		String files = ModelFiles.fingerprint(dir, name, FILES);
		TabularModel model = TabularModel.load(name, dir.resolve(name + ".onnx"), dir.resolve(name + ".yml"));
		models.loadedFrom(name, files);
		TabularModel before = models.ready(name, model);
		if (before != null) {
			before.close();
		}
		log.info("Tabular model {} published: {} fields, classes {}", name, model.descriptor().fieldList().size(),
				model.classes());
		return model;
	}

	/**
	 * Stops serving a tabular model and moves its files to {@code retired/<name>-<time>/}
	 * in the models folder; its predictions stay in the history.
	 * @return whether there was such a model
	 */
	public synchronized boolean retire(String name) throws IOException {
		if (!models.isKnown(name)) {
			return false;
		}
		Optional<TabularModel> model = models.remove(name);
		Path target = setAside(name);
		model.ifPresent(TabularModel::close);
		log.info("Tabular model {} retired; its files are in {}", name, target);
		return true;
	}

	/**
	 * Whether {@code name} is a tabular model of the folder, served or not, and nothing
	 * else's: one to replace. Not the built-in credit model's name (its credit.yml), nor
	 * an image model's.
	 */
	public boolean isFolderModel(String name) {
		return name != null && !CREDIT.equals(name) && models.isKnown(name)
				&& List.of(".h5", ".keras")
					.stream()
					.noneMatch(extension -> Files.exists(dir.resolve(name + extension)));
	}

	/**
	 * Moves a model's files to {@code retired/<name>-<time>/} of the models folder, the
	 * model itself still served (until another is published under its name).
	 * @return the folder they are in
	 */
	public synchronized Path setAside(String name) throws IOException {
		Path retired = Files.createDirectories(dir.resolve("retired"));
		String stamp = name + "-" + LocalDateTime.now().format(STAMP);
		// a folder of its own, even for two models set aside within a second
		Path target = retired.resolve(stamp);
		for (int n = 2; Files.exists(target); n++) {
			target = retired.resolve(stamp + "-" + n);
		}
		Files.createDirectories(target);
		// credit.yml is the built-in credit model's, whatever credit.onnx beside it was
		for (String extension : CREDIT.equals(name) ? List.of(".onnx", ".pkl", ".pickle", ".joblib")
				: List.of(".onnx", ".yml", ".pkl", ".pickle", ".joblib")) {
			Path file = dir.resolve(name + extension);
			if (Files.isRegularFile(file)) {
				Files.move(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
			}
		}
		return target;
	}

	/** Moves back what {@link #setAside} moved, the descriptor last. */
	public synchronized void putBack(Path setAside) throws IOException {
		try (Stream<Path> files = Files.list(setAside)) {
			for (Path file : files.sorted(java.util.Comparator.comparing(p -> p.toString().endsWith(".yml") ? 1 : 0))
				.toList()) {
				Files.move(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
			}
		}
		Files.deleteIfExists(setAside);
	}

	/** The names of the models that did not load, which can be retired too. */
	public List<String> failedNames() {
		return models.failedNames();
	}

	/** A model of the folder or a built-in one (the credit model), by name. */
	public Optional<TabularModel> find(String name) {
		return models.find(name).or(() -> builtIn.stream().flatMap(other -> other.find(name).stream()).findFirst());
	}

	public List<TabularModel> all() {
		return List.copyOf(models.ready());
	}

	@Override
	public List<MenuEntry> menuEntries(Locale locale) {
		return models.ready()
			.stream()
			.map(model -> MenuEntry.ofText(model.pagePath(), model.descriptor().title().in(locale),
					400 + Math.max(0, Math.min(99, model.descriptor().order()))))
			.toList();
	}

	@Override
	public Optional<String> labelName(String model, String label, Locale locale) {
		if (model == null) {
			return Optional.empty();
		}
		return models.find(model)
			.filter(found -> found.classes().contains(label))
			.map(found -> found.className(label, locale));
	}

	@Override
	public Optional<ModelCard.Status> status(String model) {
		return models.status(model);
	}

	@Override
	public Optional<String> title(String model, Locale locale) {
		return models.find(model).map(found -> found.descriptor().title().in(locale));
	}

	@Override
	public List<ModelCard> modelCards(Locale locale) {
		List<ModelCard> cards = new ArrayList<>();
		for (TabularModel model : models.ready()) {
			Map<String, String> details = new LinkedHashMap<>();
			details.put("tabular.card.inputs", onnx(model).describeInputs());
			details.put("tabular.card.operators", String.join(", ", onnx(model).facts().operators()));
			if (model.threshold() != null) {
				details.put("tabular.card.threshold", messages.getMessage("tabular.card.threshold.value",
						new Object[] { model.className(model.positive(), locale), model.threshold() * 100 }, locale));
			}
			cards.add(new ModelCard(model.name(), KIND, model.descriptor().title().in(locale), ModelCard.Status.READY,
					null, model.file().getFileName().toString(), ServedModels.size(model.file()), model.sha256(),
					"ONNX (" + onnx(model).facts().producer() + ")",
					messages.getMessage("tabular.card.fields", new Object[] { model.descriptor().fieldList().size() },
							locale),
					model.classes().stream().map(c -> model.className(c, locale)).toList(), null, model.loadMillis(),
					model.pagePath(), details));
		}
		models.failures().forEach(failure -> cards.add(failure.card(KIND)));
		return cards;
	}

	/** The models of this folder are ONNX files. */
	private static org.mlpages.onnx.OnnxClassifier onnx(TabularModel model) {
		return ((OnnxEngine) model.engine()).classifier();
	}

	@Override
	public void destroy() {
		models.ready().forEach(TabularModel::close);
	}

}
