package org.mlpages.image.admin;

import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

import org.mlpages.image.ImageModel;
import org.mlpages.keras.ImportedModel;

/**
 * An uploaded Keras file, converted and inspected, waiting to be described and published;
 * once described it can be tried on photos ({@link #trial}).
 */
public final class ModelDraft {

	private final String id;

	private final Path dir;

	private final Path file;

	private final String uploadedName;

	private final ImportedModel imported;

	private final Instant created = Instant.now();

	private final Consumer<ImageModel> unloader;

	private ImageModel trial;

	private String trialDescriptor;

	/**
	 * @param unloader closes a trial model and forgets what was kept about it (its
	 * meters)
	 */
	ModelDraft(String id, Path dir, Path file, String uploadedName, ImportedModel imported,
			Consumer<ImageModel> unloader) {
		this.id = id;
		this.unloader = unloader;
		this.dir = dir;
		this.file = file;
		this.uploadedName = uploadedName;
		this.imported = imported;
	}

	public String id() {
		return id;
	}

	Path dir() {
		return dir;
	}

	/**
	 * The uploaded file, named by its content: {@code model.keras} or {@code model.h5}.
	 */
	Path file() {
		return file;
	}

	/** The file's name as the administrator's browser sent it, for the page. */
	public String uploadedName() {
		return uploadedName;
	}

	/** What the importer read: format, Keras version, layers, input, output, time. */
	public ImportedModel imported() {
		return imported;
	}

	public Instant created() {
		return created;
	}

	/** The extension the file keeps when published: {@code .keras} for archives. */
	String extension() {
		return file.getFileName().toString().endsWith(".keras") ? ".keras" : ".h5";
	}

	synchronized ImageModel trial() {
		return trial;
	}

	synchronized String trialDescriptor() {
		return trialDescriptor;
	}

	/**
	 * Keeps the model loaded for trying photos with this descriptor, closing any other.
	 */
	synchronized void trial(ImageModel model, String descriptor) {
		closeTrial();
		this.trial = model;
		this.trialDescriptor = descriptor;
	}

	synchronized void closeTrial() {
		if (trial != null) {
			unloader.accept(trial);
			trial = null;
			trialDescriptor = null;
		}
	}

}
