package org.mlpages.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.mlpages.catalog.ModelCard;
import org.mlpages.catalog.ModelCatalog;
import org.mlpages.system.MenuContributor;
import org.mlpages.system.MenuEntry;
import org.mlpages.system.MlPagesProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The image models found in the models folder at start-up: each {@code name.h5} with its
 * {@code name.yml} gets a page. One that cannot load is reported with its reason and the
 * rest still serve.
 */
@Component
public class ImageModels implements MenuContributor, ModelCatalog, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(ImageModels.class);

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

	// concurrent: a model trained in the browser is published while pages are served
	private final Map<String, ImageModel> ready = new ConcurrentSkipListMap<>();

	private final Map<String, FailedModel> failed = new ConcurrentSkipListMap<>();

	private final Path dir;

	private final ImageModelLoader loader;

	ImageModels(MlPagesProperties properties, ImageModelLoader loader) {
		this.dir = properties.modelsDir();
		this.loader = loader;
		for (String name : modelNames(dir)) {
			load(name);
		}
		if (ready.isEmpty()) {
			log.warn("No image model is ready; looked in {}", dir.toAbsolutePath());
		}
	}

	/**
	 * Loads a model whose files were just put into the models folder, so that its page
	 * appears without a restart.
	 * @return the model, or empty when it cannot load (its card then says why)
	 * @throws IllegalStateException if a model of that name is already served
	 */
	public synchronized Optional<ImageModel> publish(String name) {
		if (ready.containsKey(name)) {
			throw new IllegalStateException("a model named " + name + " is already served");
		}
		failed.remove(name);
		return Optional.ofNullable(load(name));
	}

	public static boolean isValidName(String name) {
		return name != null && NAME.matcher(name).matches();
	}

	private ImageModel load(String name) {
		Path modelFile = dir.resolve(name + ".h5");
		Path descriptorFile = descriptorFile(dir, name);
		try {
			if (!isValidName(name)) {
				throw new IllegalArgumentException(
						"a model name may hold only letters, digits, '_' and '-' (at most 64)");
			}
			if (descriptorFile == null) {
				throw new IllegalArgumentException("no " + name + ".yml descriptor beside " + modelFile.getFileName()
						+ " (see the README, 'Adding a model')");
			}
			ImageModel model = loader.load(name, modelFile, descriptorFile);
			ready.put(name, model);
			log.info("Model {} ready: sha256={}, loaded in {} ms", name, model.sha256(),
					model.card(Locale.ENGLISH).loadMillis());
			return model;
		}
		catch (Exception | LinkageError ex) {
			String reason = ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
			failed.put(name, new FailedModel(name, modelFile, reason));
			log.error("Model {} not loaded: {}", name, reason, log.isDebugEnabled() ? ex : null);
			return null;
		}
	}

	private static TreeSet<String> modelNames(Path dir) {
		TreeSet<String> names = new TreeSet<>();
		if (!Files.isDirectory(dir)) {
			return names;
		}
		try (Stream<Path> files = Files.list(dir)) {
			// a descriptor without a .h5 belongs to another kind of model (a tabular one,
			// say)
			files.map(file -> file.getFileName().toString())
				.filter(file -> file.endsWith(".h5"))
				.map(file -> file.substring(0, file.length() - ".h5".length()))
				.forEach(names::add);
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

	public Optional<ImageModel> find(String name) {
		return Optional.ofNullable(ready.get(name));
	}

	public List<ImageModel> ready() {
		return List.copyOf(ready.values());
	}

	@Override
	public List<MenuEntry> menuEntries(Locale locale) {
		return ready.values()
			.stream()
			.map(model -> MenuEntry.ofText(model.pagePath(), model.descriptor().title().in(locale), 200))
			.toList();
	}

	@Override
	public List<ModelCard> modelCards(Locale locale) {
		List<ModelCard> cards = new ArrayList<>();
		ready.values().forEach(model -> cards.add(model.card(locale)));
		failed.values().forEach(model -> cards.add(model.card()));
		return cards;
	}

	@Override
	public void destroy() {
		ready.values().forEach(ImageModel::close);
	}

	private record FailedModel(String name, Path file, String reason) {

		ModelCard card() {
			long size = 0;
			try {
				size = file != null ? Files.size(file) : 0;
			}
			catch (IOException ex) {
				// the card still says why the model is missing; the size is secondary
			}
			return new ModelCard(name, "image-classifier", name, ModelCard.Status.FAILED, reason,
					file != null ? file.getFileName().toString() : null, size, null, null, null, List.of(), null, 0,
					null, Map.of());
		}

	}

}
