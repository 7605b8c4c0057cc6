package org.mlpages.tabular.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.mlpages.catalog.ModelCards;
import org.mlpages.catalog.ModelFiles;
import org.mlpages.catalog.AddModelProperties;
import org.mlpages.onnx.OnnxClassifier;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.system.UploadedFile;
import org.mlpages.tabular.InvalidTabularModelException;
import org.mlpages.tabular.TabularModel;
import org.mlpages.tabular.TabularModels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.support.DefaultMessageSourceResolvable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * The ONNX files an administrator uploaded and has not published yet, and what publishing
 * and retiring a tabular model does to the models folder: the model's file first, its
 * descriptor last, then it serves; a retired model's files move to {@code retired/}.
 */
@Component
public class TabularDrafts implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(TabularDrafts.class);

	private static final java.util.regex.Pattern DRAFT_ID = java.util.regex.Pattern
		.compile("tabular-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	/**
	 * Columns a model may have to be described on the page: its form posts about a dozen
	 * values per column, within Tomcat's parameter limit
	 * ({@code server.tomcat.max-parameter-count}).
	 */
	static final int MAX_COLUMNS = 200;

	private final AddModelProperties limits;

	private final TabularModels models;

	private final ModelCards cards;

	private final Path draftsDir;

	private final Map<String, TabularDraft> drafts = new ConcurrentHashMap<>();

	TabularDrafts(AddModelProperties limits, MlPagesProperties app, TabularModels models, ModelCards cards)
			throws IOException {
		this.limits = limits;
		this.models = models;
		this.cards = cards;
		this.draftsDir = limits.draftsDir() != null ? limits.draftsDir() : app.dataDir().resolve("drafts");
		Files.createDirectories(draftsDir);
		try (var dirs = Files.list(draftsDir)) {
			for (Path dir : dirs.filter(d -> DRAFT_ID.matcher(d.getFileName().toString()).matches()).toList()) {
				FileSystemUtils.deleteRecursively(dir);
			}
		}
	}

	/** Whether an uploaded file is for this page rather than the Keras one. */
	public static boolean isOnnx(String uploadedName) {
		return uploadedName != null && uploadedName.toLowerCase(Locale.ROOT).endsWith(".onnx");
	}

	/**
	 * Takes an uploaded ONNX file and reads what it declares.
	 * @throws InputRejectedException 413 over the size limit, 422 for a file ONNX Runtime
	 * cannot serve as a classifier (with the reason), 400 for an empty one
	 */
	public TabularDraft stage(String uploadedName, InputStream body, long declaredSize) throws IOException {
		long max = limits.maxModelSize().toBytes();
		if (declaredSize > max) {
			throw tooLarge();
		}
		String id = "tabular-" + UUID.randomUUID();
		Path dir = Files.createDirectories(draftsDir.resolve(id));
		Path file = dir.resolve("model.onnx");
		boolean staged = false;
		try {
			long size = UploadedFile.copyAtMost(body, file, max, this::tooLarge);
			if (size == 0) {
				throw new InputRejectedException(HttpStatus.BAD_REQUEST, "addmodel.rejected.empty", "empty upload");
			}
			String sent = UploadedFile.safeName(uploadedName, "model.onnx");
			TabularDraft draft;
			models.prepareOnnxRuntime();
			try (OnnxClassifier model = OnnxClassifier.open(file)) {
				draft = new TabularDraft(id, dir, file, sent, model.inputs(), model.classes(), model.probabilities(),
						model.facts(), Instant.now());
			}
			catch (RuntimeException | LinkageError ex) {
				String reason = String.valueOf(ex.getMessage()).replace("model.onnx", sent);
				throw new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "addmodel.rejected.not-a-model",
						"upload " + sent + ": " + reason, inEnglish(reason));
			}
			int columns = draft.inputs().stream().mapToInt(OnnxClassifier.Input::width).sum();
			if (columns > MAX_COLUMNS) {
				throw new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "addmodel.tabular.too-many-columns",
						"upload " + sent + ": " + columns + " columns", columns, MAX_COLUMNS);
			}
			drafts.put(id, draft);
			dropOldest();
			staged = true;
			log.info("Tabular model draft {} staged from {} ({} bytes): {}, inputs {}, classes {}", id, sent, size,
					draft.facts().producer(), draft.inputs(), draft.classes());
			return draft;
		}
		finally {
			if (!staged) {
				FileSystemUtils.deleteRecursively(dir);
			}
		}
	}

	public Optional<TabularDraft> find(String id) {
		return Optional.ofNullable(drafts.get(id));
	}

	/**
	 * The form a draft starts with: one field per column, kinds from the inputs' types.
	 */
	public TabularModelForm formFor(TabularDraft draft) {
		TabularModelForm form = new TabularModelForm();
		form.setName(draft.suggestedName());
		for (String c : draft.classes()) {
			form.getClassIds().add(c);
			form.getClassesEn().add("");
			form.getClassesFr().add("");
		}
		if (draft.classes().size() == 2) {
			form.setPositive(draft.classes().get(1));
		}
		for (OnnxClassifier.Input input : draft.inputs()) {
			for (int column = 0; column < input.width(); column++) {
				form.getFieldNames().add(input.width() == 1 ? input.name() : input.name() + "_" + column);
				form.getFieldInputs().add(input.name());
				form.getFieldColumns().add(input.width() == 1 ? null : column);
				form.getFieldKinds().add(switch (input.type()) {
					case STRING -> "choice";
					case BOOL -> "yes-no";
					case INT64, INT32 -> "integer";
					case FLOAT, DOUBLE -> "number";
				});
				form.getFieldLabelsEn().add("");
				form.getFieldLabelsFr().add("");
				form.getFieldMins().add("");
				form.getFieldMaxs().add("");
				form.getFieldOptions().add("");
				form.getFieldBaselines().add("");
			}
		}
		return form;
	}

	/**
	 * The draft loaded with this description: the caller closes it.
	 * @throws InputRejectedException 422 with the reason when the description does not
	 * fit the model
	 */
	public TabularModel load(TabularDraft draft, TabularModelForm form) throws IOException {
		// one description at a time per draft; a draft published, discarded or dropped
		// meanwhile has no folder any more
		synchronized (draft) {
			if (!drafts.containsKey(draft.id())) {
				throw changed(draft);
			}
			Path descriptor = draft.dir().resolve("model.yml");
			try {
				Files.writeString(descriptor, form.toYaml(), StandardCharsets.UTF_8);
				return TabularModel.load(form.getName() == null ? "draft" : form.getName(), draft.file(), descriptor);
			}
			catch (java.nio.file.NoSuchFileException ex) {
				throw changed(draft);
			}
			catch (InvalidTabularModelException ex) {
				String reason = String.valueOf(ex.getMessage()).replace("model.yml", "the description");
				throw new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "addmodel.rejected.descriptor",
						"draft " + draft.id() + ": " + reason, inEnglish(reason));
			}
		}
	}

	private static InputRejectedException changed(TabularDraft draft) {
		return new InputRejectedException(HttpStatus.CONFLICT, "addmodel.unknown-draft",
				"draft " + draft.id() + " published or discarded meanwhile");
	}

	/**
	 * Puts the draft's file and its descriptor into the models folder and serves it.
	 * @throws InputRejectedException 409 for a name any model already has (unless the
	 * form asks to replace the tabular model of that name), 422 for a description the
	 * model refuses; nothing is left half-published, and a replaced model serves on when
	 * its replacement fails
	 */
	public synchronized TabularModel publish(TabularDraft draft, TabularModelForm form) throws IOException {
		if (!drafts.containsKey(draft.id())) {
			// published by a click before this one
			throw changed(draft);
		}
		String name = form.getName();
		try (TabularModel checked = load(draft, form)) {
			checked.name();
		}
		Path dir = models.directory();
		boolean taken = cards.status(name).isPresent() || "credit".equals(name) || ModelFiles.isNameInUse(dir, name);
		if (taken && !(form.isReplace() && models.isFolderModel(name))) {
			throw new InputRejectedException(HttpStatus.CONFLICT, "addmodel.tabular.name-taken",
					"a model named " + name + " exists", name);
		}
		Path modelFile = dir.resolve(name + ".onnx");
		Path descriptor = dir.resolve(name + ".yml");
		// the folder's models held still meanwhile: a retire waits for the replacement
		synchronized (models) {
			return publish(draft, form, name, taken, modelFile, descriptor);
		}
	}

	private TabularModel publish(TabularDraft draft, TabularModelForm form, String name, boolean taken, Path modelFile,
			Path descriptor) throws IOException {
		Path dir = models.directory();
		// the model replaced serves on until the new one is published over it
		Path replaced = taken ? models.setAside(name) : null;
		try {
			Files.createDirectories(dir);
			Files.copy(draft.file(), modelFile, StandardCopyOption.REPLACE_EXISTING);
			// the descriptor last: a folder read meanwhile sees a model without one
			Files.writeString(descriptor, form.toYaml(), StandardCharsets.UTF_8);
			TabularModel model = models.publish(name);
			discard(draft.id());
			log.info("Tabular model {} published from draft {}{}", name, draft.id(),
					replaced != null ? ", replacing the model now in " + dir.relativize(replaced) : "");
			return model;
		}
		catch (IOException | RuntimeException ex) {
			// each step tried, whatever the one before did: the replaced model's files
			// come back
			for (Path file : java.util.List.of(descriptor, modelFile)) {
				try {
					Files.deleteIfExists(file);
				}
				catch (IOException cleanup) {
					ex.addSuppressed(cleanup);
				}
			}
			if (replaced != null) {
				try {
					models.putBack(replaced);
					log.warn("Tabular model {} kept: the model meant to replace it did not load", name);
				}
				catch (IOException cleanup) {
					ex.addSuppressed(cleanup);
					log.error("Tabular model {}: its files could not be put back from {}", name, replaced, cleanup);
				}
			}
			if (ex instanceof InvalidTabularModelException invalid) {
				throw new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "addmodel.rejected.descriptor",
						invalid.getMessage(), inEnglish(invalid.getMessage()));
			}
			throw ex;
		}
	}

	/**
	 * Whether {@code name} is a tabular model of the folder, which a draft may replace.
	 */
	public boolean isFolderModel(String name) {
		return models.isFolderModel(name);
	}

	public void discard(String id) {
		TabularDraft draft = drafts.remove(id);
		if (draft != null) {
			try {
				FileSystemUtils.deleteRecursively(draft.dir());
			}
			catch (IOException ex) {
				log.warn("Could not delete the draft {}: {}", draft.dir(), ex.getMessage());
			}
		}
	}

	@Override
	public void destroy() {
		new ArrayList<>(drafts.keySet()).forEach(this::discard);
	}

	private void dropOldest() {
		while (drafts.size() > Math.max(1, limits.maxDrafts())) {
			drafts.values()
				.stream()
				.min(Comparator.comparing(TabularDraft::created))
				.ifPresent(oldest -> discard(oldest.id()));
		}
	}

	/** A sentence of the importer's, said to be in English where the page is not. */
	private static DefaultMessageSourceResolvable inEnglish(String english) {
		return new DefaultMessageSourceResolvable(new String[] { "descriptor.refused.other" }, new Object[] { english },
				english);
	}

	private InputRejectedException tooLarge() {
		return new InputRejectedException(HttpStatus.CONTENT_TOO_LARGE, "addmodel.rejected.too-large",
				"tabular model upload over the limit", limits.maxModelMegabytes());
	}

}
