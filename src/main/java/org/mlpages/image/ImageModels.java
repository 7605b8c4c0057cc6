package org.mlpages.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.mlpages.catalog.FolderModels;
import org.mlpages.catalog.ModelAdded;
import org.mlpages.catalog.ModelCard;
import org.mlpages.catalog.ModelCatalog;
import org.mlpages.catalog.ModelFiles;
import org.mlpages.catalog.ServedModels;
import org.mlpages.system.MenuContributor;
import org.mlpages.system.MenuEntry;
import org.mlpages.system.MlPagesProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * The image models found in the models folder at start-up: each {@code name.h5} or
 * {@code name.keras} with its {@code name.yml} gets a page. One that cannot load is
 * reported with its reason and the rest still serve. By default they load on a thread of
 * their own while the rest of the application starts (a model is then {@link #isLoading
 * loading} for a few seconds).
 */
@Component
public class ImageModels implements MenuContributor, ModelCatalog, FolderModels, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(ImageModels.class);

	/** What the model cards and the models' API call an image model. */
	private static final String KIND = "image-classifier";

	// a model trained in the browser is published while pages are served
	private final ServedModels<ImageModel> models = new ServedModels<>();

	// completed once the model is ready or failed
	private final Map<String, CompletableFuture<Void>> loading = new ConcurrentSkipListMap<>();

	private volatile boolean closed;

	// one load at a time (start-up's and a publication), without blocking the readers
	private final Object loadLock = new Object();

	private final Path dir;

	private final ImageModelLoader loader;

	private final MessageSource messages;

	private final ApplicationEventPublisher events;

	public ImageModels(MlPagesProperties properties, ImageModelLoader loader, MessageSource messages,
			ApplicationEventPublisher events) {
		this.dir = properties.modelsDir();
		this.loader = loader;
		this.messages = messages;
		this.events = events;
		TreeSet<String> names = modelNames(dir);
		if (properties.image().backgroundLoading() && !names.isEmpty()) {
			// The model's load (natives, classes, the SavedModel) and Hibernate's and
			// Tomcat's start-up each keep one core busy; on two cores they overlap.
			names.forEach(name -> loading.put(name, new CompletableFuture<>()));
			Thread thread = new Thread(() -> loadAll(names), "image-model-loader");
			thread.setDaemon(true);
			thread.start();
		}
		else {
			loadAll(names);
		}
	}

	private void loadAll(TreeSet<String> names) {
		for (String name : names) {
			synchronized (this.loadLock) {
				if (!this.closed) {
					load(name);
				}
			}
			CompletableFuture<Void> done = loading.remove(name);
			if (done != null) {
				done.complete(null);
			}
		}
		if (models.ready().isEmpty()) {
			log.warn("No image model is ready; looked in {}", dir.toAbsolutePath());
		}
	}

	/** True while a model found at start-up is still being loaded. */
	public boolean isLoading(String name) {
		return loading.containsKey(name);
	}

	/**
	 * Waits at most {@code timeout} for a model that is still loading.
	 * @return the model once ready, or empty if it is unknown, failed or still loading
	 */
	public Optional<ImageModel> awaitReady(String name, Duration timeout) {
		CompletableFuture<Void> done = loading.get(name);
		if (done != null) {
			try {
				done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException ex) {
				// still loading: the caller says so
			}
		}
		return find(name);
	}

	/**
	 * Loads a model whose files were just put into the models folder, so that its page
	 * appears without a restart.
	 * @return the model, or empty when it cannot load (its card then says why)
	 * @throws IllegalStateException if a model of that name is already served
	 */
	public Optional<ImageModel> publish(String name) {
		// checked before the lock too: the start-up's load of that model holds it for
		// seconds
		checkNotServed(name);
		Optional<ImageModel> model;
		synchronized (this.loadLock) {
			checkNotServed(name);
			model = Optional.ofNullable(load(name));
		}
		this.events.publishEvent(new ModelAdded(name));
		return model;
	}

	/**
	 * Stops serving a model: its page, menu entry, card and API go at once, and photos it
	 * was still given fail as for a closed model. Its files are the caller's to move.
	 * @return whether a model of that name was served, or had failed to load
	 */
	public boolean retire(String name) {
		synchronized (this.loadLock) {
			boolean known = this.models.isKnown(name);
			this.models.remove(name).ifPresent(model -> {
				model.close();
				log.info("Model {} retired", name);
			});
			return known;
		}
	}

	/** The models folder, where a published model's files go. */
	public Path directory() {
		return dir;
	}

	private void checkNotServed(String name) {
		if (this.models.isReady(name) || this.loading.containsKey(name)) {
			throw new IllegalStateException("a model named " + name + " is already served");
		}
	}

	private ImageModel load(String name) {
		// read before the files are: files changed during the load show as a change
		this.models.loadedFrom(name, ModelFiles.fingerprint(dir, name, FILES));
		List<Path> modelFiles = MODEL_EXTENSIONS.stream()
			.map(extension -> dir.resolve(name + extension))
			.filter(Files::isRegularFile)
			.toList();
		Path modelFile = modelFiles.isEmpty() ? dir.resolve(name + ".h5") : modelFiles.get(0);
		Path descriptorFile = descriptorFile(dir, name);
		try {
			if (!ModelFiles.isValidName(name)) {
				throw new IllegalArgumentException(
						"a model name may hold only letters, digits, '_' and '-' (at most 64)");
			}
			if (modelFiles.size() > 1) {
				throw new IllegalArgumentException("two model files are named " + name + ": "
						+ modelFiles.stream().map(f -> f.getFileName().toString()).toList()
						+ "; keep the one to serve");
			}
			if (descriptorFile == null) {
				throw new IllegalArgumentException("no " + name + ".yml descriptor beside " + modelFile.getFileName()
						+ " (see the README, 'Adding a model')");
			}
			ImageModel model = loader.load(name, modelFile, descriptorFile);
			models.ready(name, model);
			log.info("Model {} ready: sha256={}, loaded in {} ms", name, model.sha256(), model.loadTime().toMillis());
			return model;
		}
		catch (Exception | LinkageError ex) {
			String reason = ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
			models.failed(name, modelFile, reason);
			log.error("Model {} not loaded: {}", name, reason, log.isDebugEnabled() ? ex : null);
			return null;
		}
	}

	/**
	 * A Keras model file: HDF5 ({@code .h5}) or a Keras 3 archive ({@code .keras}); the
	 * importer tells them apart by their content, so either name serves either kind.
	 */
	static final List<String> MODEL_EXTENSIONS = List.of(".h5", ".keras");

	/** A model's files: what its fingerprint is made of. */
	private static final List<String> FILES = List.of(".h5", ".keras", ".yml", ".yaml");

	@Override
	public Map<String, String> inFolder() {
		Map<String, String> files = new java.util.TreeMap<>();
		modelNames(dir).forEach(name -> files.put(name, ModelFiles.fingerprint(dir, name, FILES)));
		return files;
	}

	@Override
	public Map<String, String> loaded() {
		Map<String, String> files = models.loaded();
		files.keySet().removeIf(loading::containsKey);
		return files;
	}

	/**
	 * The new model serves from the moment it is ready; photos the one it replaces was
	 * still given fail as for a closed model. When the new files do not load, the model
	 * already served stays (its files are gone, it stays in memory) and the log says why.
	 */
	@Override
	public void reload(String name) {
		boolean added;
		synchronized (this.loadLock) {
			String files = ModelFiles.fingerprint(dir, name, FILES);
			if (this.closed || this.loading.containsKey(name) || this.models.isLoadedFrom(name, files)) {
				// loaded from these very files meanwhile (a publication here)
				return;
			}
			ImageModel before = this.models.find(name).orElse(null);
			added = before == null;
			ImageModel after = load(name);
			if (after == null) {
				this.models.keepServing(name);
			}
			else if (before != null) {
				before.close();
			}
		}
		if (added) {
			this.events.publishEvent(new ModelAdded(name));
		}
	}

	@Override
	public void forget(String name) {
		retire(name);
	}

	private static TreeSet<String> modelNames(Path dir) {
		TreeSet<String> names = new TreeSet<>();
		if (!Files.isDirectory(dir)) {
			return names;
		}
		try (Stream<Path> files = Files.list(dir)) {
			// a descriptor without a Keras file belongs to another kind of model (a
			// tabular one, say)
			files.map(file -> file.getFileName().toString()).forEach(file -> {
				for (String extension : MODEL_EXTENSIONS) {
					if (file.endsWith(extension)) {
						names.add(file.substring(0, file.length() - extension.length()));
					}
				}
			});
		}
		catch (IOException ex) {
			log.error("Cannot list the models folder {}: {}", dir.toAbsolutePath(), ex.getMessage());
		}
		return names;
	}

	private static Path descriptorFile(Path dir, String name) {
		for (String extension : List.of(".yml", ".yaml")) {
			Path file = dir.resolve(name + extension);
			if (Files.isRegularFile(file)) {
				return file;
			}
		}
		return null;
	}

	@Override
	public Optional<ModelCard.Status> status(String name) {
		return models.status(name)
			.or(() -> loading.containsKey(name) ? Optional.of(ModelCard.Status.LOADING) : Optional.empty());
	}

	public Optional<ImageModel> find(String name) {
		return models.find(name);
	}

	public List<ImageModel> ready() {
		return List.copyOf(models.ready());
	}

	@Override
	public List<MenuEntry> menuEntries(Locale locale) {
		return models.ready()
			.stream()
			// image pages stay together, between the demo pages and the credit page (300)
			.map(model -> MenuEntry.ofText(model.pagePath(), model.descriptor().title().in(locale),
					200 + Math.max(0, Math.min(99, model.descriptor().order()))))
			.toList();
	}

	@Override
	public Optional<String> labelName(String model, String label, Locale locale) {
		Stream<ImageModel> candidates = model == null ? models.ready().stream() : find(model).stream();
		return candidates.filter(found -> found.descriptor().labelIds().contains(label))
			.findFirst()
			.map(found -> found.displayLabel(label, locale));
	}

	@Override
	public Optional<String> title(String model, Locale locale) {
		return find(model).map(found -> found.descriptor().title().in(locale));
	}

	@Override
	public List<ModelCard> modelCards(Locale locale) {
		List<ModelCard> cards = new ArrayList<>();
		models.ready().forEach(model -> cards.add(model.card(locale, messages)));
		loading.keySet().stream().filter(name -> !models.isKnown(name)).forEach(name -> cards.add(loadingCard(name)));
		models.failures().forEach(failure -> cards.add(failure.card(KIND)));
		return cards;
	}

	private ModelCard loadingCard(String name) {
		Path file = dir.resolve(name + ".h5");
		return new ModelCard(name, KIND, name, ModelCard.Status.LOADING, null, file.getFileName().toString(),
				ServedModels.size(file), null, null, null, List.of(), null, 0, null, Map.of());
	}

	@Override
	public void destroy() {
		// waits for a load in progress, so that no model is left open behind a closed
		// context
		synchronized (this.loadLock) {
			this.closed = true;
		}
		models.ready().forEach(ImageModel::close);
	}

}
