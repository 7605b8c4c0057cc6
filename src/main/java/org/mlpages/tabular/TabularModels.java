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
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

import org.mlpages.catalog.FolderModels;
import org.mlpages.catalog.ModelCard;
import org.mlpages.catalog.ModelCatalog;
import org.mlpages.catalog.ModelFiles;
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

	/** By name; one added from the admin's page joins them while others are served. */
	private final Map<String, TabularModel> ready = new ConcurrentSkipListMap<>();

	private final Map<String, Failed> failed = new ConcurrentSkipListMap<>();

	private final MessageSource messages;

	private final Path dir;

	// the fingerprint of the files each model in ready or failed was loaded from
	private final Map<String, String> loadedFrom = new ConcurrentSkipListMap<>();

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
		this.loadedFrom.put(name, ModelFiles.fingerprint(dir, name, FILES));
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
			TabularModel before = ready.put(name, model);
			failed.remove(name);
			if (before != null) {
				before.close();
			}
			log.info("Tabular model {} ready: {} ({}), {} fields, classes {}, loaded in {} ms", name, fileName,
					onnx(model).facts().producer(), model.descriptor().fieldList().size(), model.classes(),
					model.loadMillis());
			return model;
		}
		catch (InvalidTabularModelException | IOException ex) {
			failed.put(name, new Failed(file, ex.getMessage()));
			log.error("Tabular model {} not loaded: {}", name, ex.getMessage());
		}
		catch (RuntimeException | LinkageError ex) {
			// ONNX Runtime's natives missing on this platform, or failing: this model
			// does not serve, the others do
			failed.put(name, new Failed(file, "ONNX Runtime failed: " + ex));
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
		Map<String, String> files = new java.util.TreeMap<>();
		Stream.concat(ready.keySet().stream(), failed.keySet().stream())
			.forEach(name -> files.put(name, loadedFrom.getOrDefault(name, "")));
		return files;
	}

	/**
	 * When the new files do not load, the model already served stays (in memory) and the
	 * log says why.
	 */
	@Override
	public synchronized void reload(String name) {
		if (ModelFiles.fingerprint(dir, name, FILES).equals(loadedFrom.get(name)) && status(name).isPresent()) {
			// loaded from these very files meanwhile (a publication here)
			return;
		}
		if (Files.exists(dir.resolve(name + ".onnx"))) {
			prepareOnnxRuntime();
		}
		boolean served = ready.containsKey(name);
		if (load(name) == null && served) {
			failed.remove(name);
		}
	}

	@Override
	public synchronized void forget(String name) {
		TabularModel model = ready.remove(name);
		failed.remove(name);
		loadedFrom.remove(name);
		if (model != null) {
			model.close();
		}
		log.info("Tabular model {} no longer served: its files left the models folder", name);
	}

	private record Failed(Path file, String reason) {
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
		TabularModel before = ready.put(name, model);
		failed.remove(name);
		loadedFrom.put(name, files);
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
		TabularModel model = ready.remove(name);
		Failed failure = failed.remove(name);
		loadedFrom.remove(name);
		if (model == null && failure == null) {
			return false;
		}
		Path target = setAside(name);
		if (model != null) {
			model.close();
		}
		log.info("Tabular model {} retired; its files are in {}", name, target);
		return true;
	}

	/**
	 * Whether {@code name} is a tabular model of the folder, served or not, and nothing
	 * else's: one to replace. Not the built-in credit model's name (its credit.yml), nor
	 * an image model's.
	 */
	public boolean isFolderModel(String name) {
		return name != null && !CREDIT.equals(name) && (ready.containsKey(name) || failed.containsKey(name))
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
		return List.copyOf(failed.keySet());
	}

	/** A model of the folder or a built-in one (the credit model), by name. */
	public Optional<TabularModel> find(String name) {
		TabularModel model = ready.get(name);
		if (model != null) {
			return Optional.of(model);
		}
		return builtIn.stream().flatMap(models -> models.find(name).stream()).findFirst();
	}

	public List<TabularModel> all() {
		return List.copyOf(ready.values());
	}

	@Override
	public List<MenuEntry> menuEntries(Locale locale) {
		return ready.values()
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
		return Optional.ofNullable(ready.get(model))
			.filter(found -> found.classes().contains(label))
			.map(found -> found.className(label, locale));
	}

	@Override
	public Optional<ModelCard.Status> status(String model) {
		if (ready.containsKey(model)) {
			return Optional.of(ModelCard.Status.READY);
		}
		return failed.containsKey(model) ? Optional.of(ModelCard.Status.FAILED) : Optional.empty();
	}

	@Override
	public Optional<String> title(String model, Locale locale) {
		return Optional.ofNullable(ready.get(model)).map(found -> found.descriptor().title().in(locale));
	}

	@Override
	public List<ModelCard> modelCards(Locale locale) {
		List<ModelCard> cards = new ArrayList<>();
		for (TabularModel model : ready.values()) {
			Map<String, String> details = new LinkedHashMap<>();
			details.put("tabular.card.inputs", onnx(model).describeInputs());
			details.put("tabular.card.operators", String.join(", ", onnx(model).facts().operators()));
			if (model.threshold() != null) {
				details.put("tabular.card.threshold", messages.getMessage("tabular.card.threshold.value",
						new Object[] { model.className(model.positive(), locale), model.threshold() * 100 }, locale));
			}
			cards.add(new ModelCard(model.name(), "tabular-classifier", model.descriptor().title().in(locale),
					ModelCard.Status.READY, null, model.file().getFileName().toString(), size(model.file()),
					model.sha256(), "ONNX (" + onnx(model).facts().producer() + ")",
					messages.getMessage("tabular.card.fields", new Object[] { model.descriptor().fieldList().size() },
							locale),
					model.classes().stream().map(c -> model.className(c, locale)).toList(), null, model.loadMillis(),
					model.pagePath(), details));
		}
		failed.forEach((name,
				failure) -> cards.add(new ModelCard(name, "tabular-classifier", name, ModelCard.Status.FAILED,
						failure.reason(), failure.file().getFileName().toString(), size(failure.file()), null, null,
						null, List.of(), null, 0, null, Map.of())));
		return cards;
	}

	/** The models of this folder are ONNX files. */
	private static org.mlpages.onnx.OnnxClassifier onnx(TabularModel model) {
		return ((OnnxEngine) model.engine()).classifier();
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			return 0;
		}
	}

	@Override
	public void destroy() {
		ready.values().forEach(TabularModel::close);
	}

}
