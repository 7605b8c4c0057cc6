package org.mlpages.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The models of one kind a registry serves from the models folder, by name: those ready,
 * those whose files did not load and why, and the {@link ModelFiles#fingerprint
 * fingerprint} of the files each was loaded from, which the {@link ModelFolderWatch}
 * compares with the folder. The image and tabular registries keep their models here and
 * differ only in how a model is loaded. Safe to read while a model is published, reloaded
 * or retired; the registry orders its writes.
 *
 * @param <M> the kind of model, closed by the registry once it no longer serves it
 */
public final class ServedModels<M> {

	private final Map<String, M> ready = new ConcurrentSkipListMap<>();

	private final Map<String, Failure> failed = new ConcurrentSkipListMap<>();

	private final Map<String, String> loadedFrom = new ConcurrentSkipListMap<>();

	/**
	 * Notes the files {@code name} is loaded from; read before the files are, files
	 * changed during the load show as a change.
	 */
	public void loadedFrom(String name, String fingerprint) {
		loadedFrom.put(name, fingerprint);
	}

	/**
	 * Serves {@code model} under its name, forgetting a failure of that name.
	 * @return the model it replaces, for the caller to close, or null
	 */
	public M ready(String name, M model) {
		M before = ready.put(name, model);
		failed.remove(name);
		return before;
	}

	/** Records why {@code name}'s files did not load. */
	public void failed(String name, Path file, String reason) {
		failed.put(name, new Failure(name, file, reason));
	}

	/**
	 * Forgets that the new files of a served model failed: the model loaded before keeps
	 * serving, and the log has said why the new one did not.
	 */
	public void keepServing(String name) {
		if (ready.containsKey(name)) {
			failed.remove(name);
		}
	}

	/**
	 * Stops serving {@code name} and forgets its failure and files.
	 * @return the model that was served, for the caller to close, or empty
	 */
	public Optional<M> remove(String name) {
		failed.remove(name);
		loadedFrom.remove(name);
		return Optional.ofNullable(ready.remove(name));
	}

	/** Whether a model of that name is served or failed to load. */
	public boolean isKnown(String name) {
		return ready.containsKey(name) || failed.containsKey(name);
	}

	/** Whether {@code name} was loaded, or failed to, from files of this fingerprint. */
	public boolean isLoadedFrom(String name, String fingerprint) {
		return isKnown(name) && fingerprint.equals(loadedFrom.get(name));
	}

	public Optional<M> find(String name) {
		return Optional.ofNullable(ready.get(name));
	}

	public boolean isReady(String name) {
		return ready.containsKey(name);
	}

	/** The models served, by name. */
	public Collection<M> ready() {
		return Collections.unmodifiableCollection(ready.values());
	}

	/** Why each model that did not load failed, by name. */
	public Collection<Failure> failures() {
		return Collections.unmodifiableCollection(failed.values());
	}

	public List<String> failedNames() {
		return List.copyOf(failed.keySet());
	}

	public Optional<ModelCard.Status> status(String name) {
		if (ready.containsKey(name)) {
			return Optional.of(ModelCard.Status.READY);
		}
		return failed.containsKey(name) ? Optional.of(ModelCard.Status.FAILED) : Optional.empty();
	}

	/** As {@link FolderModels#loaded()} answers: every model served or failed. */
	public Map<String, String> loaded() {
		Map<String, String> files = new TreeMap<>();
		ready.keySet().forEach(name -> files.put(name, loadedFrom.getOrDefault(name, "")));
		failed.keySet().forEach(name -> files.put(name, loadedFrom.getOrDefault(name, "")));
		return files;
	}

	/** A model whose files did not load: the file it was read from, and why. */
	public record Failure(String name, Path file, String reason) {

		/** Its card: the name, the file and why, nothing the model would have said. */
		public ModelCard card(String kind) {
			return new ModelCard(name, kind, name, ModelCard.Status.FAILED, reason,
					file != null ? file.getFileName().toString() : null, size(file), null, null, null, List.of(), null,
					0, null, Map.of());
		}

	}

	/**
	 * A file's size for a card, 0 when it cannot be read: a card is not refused for it.
	 */
	public static long size(Path file) {
		try {
			return file != null ? Files.size(file) : 0;
		}
		catch (IOException ex) {
			return 0;
		}
	}

}
