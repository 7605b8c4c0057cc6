package org.mlpages.image.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.mlpages.catalog.AddModelProperties;
import org.mlpages.catalog.ModelCard;
import org.mlpages.catalog.ModelFiles;
import org.mlpages.image.ImageModel;
import org.mlpages.image.ImageModelDescriptor.InvalidDescriptorException;
import org.mlpages.image.ImageModelLoader;
import org.mlpages.image.ImageModels;
import org.mlpages.image.PhotoBatch;
import org.mlpages.image.PhotoRejections;
import org.mlpages.image.photo.DecodedPhoto;
import org.mlpages.image.photo.PhotoDecoder;
import org.mlpages.image.photo.PhotoRejectedException;
import org.mlpages.keras.ImportedModel;
import org.mlpages.keras.KerasImportException;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.system.UploadedFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * The models an administrator uploaded and has not published yet, and what publishing,
 * replacing and retiring a model does to the models folder. A model's files go into the
 * folder only once it has loaded as a draft, the descriptor last; a replaced or retired
 * model's files move to {@code retired/} in that folder, so its history keeps pointing at
 * a file that exists.
 */
@Component
public class ModelDrafts implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(ModelDrafts.class);

	private static final java.util.regex.Pattern DRAFT_ID = java.util.regex.Pattern
		.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

	private final AddModelProperties limits;

	private final ImageModels models;

	private final ImageModelLoader loader;

	private final long maxPixels;

	private final Map<String, ModelDraft> drafts = new ConcurrentHashMap<>();

	private final Path draftsDir;

	ModelDrafts(AddModelProperties limits, MlPagesProperties app, ImageModels models, ImageModelLoader loader)
			throws IOException {
		this.limits = limits;
		this.models = models;
		this.loader = loader;
		this.maxPixels = app.image().maxPixels();
		this.draftsDir = limits.draftsDir() != null ? limits.draftsDir() : app.dataDir().resolve("drafts");
		// drafts do not outlive the process that took them; only their own folders go,
		// whatever else the configured folder holds
		Files.createDirectories(draftsDir);
		try (var dirs = Files.list(draftsDir)) {
			for (Path dir : dirs.filter(d -> DRAFT_ID.matcher(d.getFileName().toString()).matches()).toList()) {
				FileSystemUtils.deleteRecursively(dir);
			}
		}
	}

	/**
	 * Takes an uploaded file, converts and inspects it.
	 * @throws InputRejectedException 413 over the size limit, 422 for a file that is no
	 * model the importer reads (with the importer's sentence), 400 for an empty one
	 */
	public ModelDraft stage(String uploadedName, InputStream body, long declaredSize) throws IOException {
		long max = limits.maxModelSize().toBytes();
		if (declaredSize > max) {
			throw tooLarge(declaredSize);
		}
		String id = UUID.randomUUID().toString();
		Path dir = Files.createDirectories(draftsDir.resolve(id));
		Path upload = dir.resolve("upload");
		boolean staged = false;
		try {
			long size = UploadedFile.copyAtMost(body, upload, max, () -> tooLarge(max + 1));
			if (size == 0) {
				throw new InputRejectedException(HttpStatus.BAD_REQUEST, "addmodel.rejected.empty", "empty upload");
			}
			// the importer tells the kind by content; the name it is kept under says it
			// (a pickle's name too, which the importer refuses whatever its bytes)
			String sent = uploadedName == null ? "" : uploadedName.toLowerCase(Locale.ROOT);
			String kept = java.util.List.of(".pkl", ".pickle", ".joblib")
				.stream()
				.filter(sent::endsWith)
				.findFirst()
				.map(extension -> "model" + extension)
				.orElse(isZip(upload) ? "model.keras" : "model.h5");
			Path file = dir.resolve(kept);
			Files.move(upload, file);
			ImportedModel imported;
			try {
				imported = loader.importModel(file);
			}
			catch (KerasImportException ex) {
				// the sentence names the file as the administrator sent it
				var reason = RefusalReasons.of(ex, file.getFileName().toString(), safeName(uploadedName));
				throw new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "addmodel.rejected.not-a-model",
						"upload " + safeName(uploadedName) + ": " + reason.getDefaultMessage(), reason);
			}
			ModelDraft draft = new ModelDraft(id, dir, file, safeName(uploadedName), imported, loader::unload);
			drafts.put(id, draft);
			dropOldest();
			staged = true;
			log.info("Model draft {} staged from {} ({} bytes): {}, Keras {}, {} layers, converted in {} ms", id,
					draft.uploadedName(), size, imported.format(), imported.kerasVersion(), imported.layerCount(),
					imported.importTime().toMillis());
			return draft;
		}
		finally {
			if (!staged) {
				FileSystemUtils.deleteRecursively(dir);
			}
		}
	}

	public Optional<ModelDraft> find(String id) {
		return Optional.ofNullable(drafts.get(id));
	}

	/**
	 * A first description of a draft: one label row per class, the name from the file.
	 */
	public ModelForm formFor(ModelDraft draft) {
		ModelForm form = new ModelForm();
		String base = draft.uploadedName().replaceAll("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9_-]", "_");
		form.setName(base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0)) ? "model" : base);
		int units = draft.imported().outputSize();
		int labels = units == 1 ? 2 : Math.max(units, 2);
		for (int i = 0; i < labels; i++) {
			form.getLabelIds().add("");
			form.getLabelsEn().add("");
			form.getLabelsFr().add("");
		}
		if (draft.imported().inputRescaling() == null) {
			form.setScale(1f / 255f);
			form.setOffset(0f);
		}
		return form;
	}

	/**
	 * The probabilities the draft gives a photo with this description, one per label.
	 * @throws InputRejectedException 422 for a description the model contradicts or a
	 * photo that cannot be read
	 */
	public float[] tryPhoto(ModelDraft draft, ModelForm form, byte[] photo) throws IOException {
		ImageModel model = trialModel(draft, form);
		DecodedPhoto decoded;
		try {
			decoded = new PhotoDecoder(maxPixels).decode(photo);
		}
		catch (PhotoRejectedException ex) {
			// as the model's page will say it
			throw PhotoRejections.toInputRejected(ex, maxPixels, 1);
		}
		var input = model.preprocessor().preprocessing();
		try {
			return model.predict(PhotoBatch.of(model.preprocessor().toTensor(decoded), input.height(), input.width(),
					input.color().channels()))[0];
		}
		catch (ai.djl.translate.TranslateException ex) {
			throw new IOException("the draft cannot predict: " + ex.getMessage(), ex);
		}
		catch (org.mlpages.image.ModelClosedException ex) {
			// published, discarded or tried with another description meanwhile
			throw new InputRejectedException(HttpStatus.CONFLICT, "addmodel.rejected.changed",
					"draft " + draft.id() + " closed while a photo was tried");
		}
	}

	/**
	 * Puts the draft's file and its descriptor into the models folder and serves it; with
	 * {@link ModelForm#isReplace()}, a model served under that name is retired first and
	 * comes back if the new one does not load.
	 */
	public ImageModel publish(ModelDraft draft, ModelForm form) throws IOException {
		synchronized (this) {
			String name = form.getName();
			// the description is checked by loading the draft with it first
			trialModel(draft, form);
			Path dir = models.directory();
			Optional<ModelCard.Status> status = models.status(name);
			boolean taken = status.isPresent() || ModelFiles.isNameInUse(dir, name);
			if (taken && (!form.isReplace() || !isImageModel(dir, name))) {
				throw new InputRejectedException(HttpStatus.CONFLICT, "addmodel.rejected.name-taken",
						"a model named " + name + " exists", name);
			}
			if (status.filter(ModelCard.Status.LOADING::equals).isPresent()) {
				throw new InputRejectedException(HttpStatus.CONFLICT, "addmodel.rejected.loading",
						name + " is still loading", name);
			}
			Path retired = taken ? retire(name) : null;
			draft.closeTrial();
			Path modelFile = dir.resolve(name + draft.extension());
			Path descriptor = dir.resolve(name + ".yml");
			try {
				Files.createDirectories(dir);
				Files.copy(draft.file(), modelFile, StandardCopyOption.REPLACE_EXISTING);
				// the descriptor last: a folder scanned meanwhile sees a model without
				// one and skips it
				Files.writeString(descriptor, form.toYaml(), StandardCharsets.UTF_8);
				ImageModel model = models.publish(name)
					.orElseThrow(() -> new InputRejectedException(HttpStatus.INTERNAL_SERVER_ERROR,
							"addmodel.rejected.publish-failed", "draft " + draft.id() + " did not load as " + name));
				discard(draft.id());
				log.info("Model {} published from draft {}{}", name, draft.id(),
						retired != null ? ", replacing the model now in " + dir.relativize(retired) : "");
				return model;
			}
			catch (IOException | RuntimeException ex) {
				// nothing half-published: the new files go, the replaced model comes back
				models.retire(name);
				Files.deleteIfExists(descriptor);
				Files.deleteIfExists(modelFile);
				if (retired != null) {
					restore(retired, dir, name);
				}
				throw ex;
			}
		}
	}

	/**
	 * Whether {@code name} is an image model this page may replace or retire: one served,
	 * loading or failed, or a Keras file in the folder (not, say, the credit model's
	 * descriptor).
	 */
	boolean isImageModel(Path dir, String name) {
		return ModelFiles.isValidName(name) && (models.status(name).isPresent()
				|| Files.isRegularFile(dir.resolve(name + ".h5")) || Files.isRegularFile(dir.resolve(name + ".keras")));
	}

	/** Whether publishing under {@code name} needs Replace ticked. */
	public boolean isTaken(String name) {
		return name != null && (models.status(name).isPresent() || ModelFiles.isNameInUse(models.directory(), name));
	}

	/**
	 * Stops serving a model and moves its files to {@code retired/<name>-<time>/} in the
	 * models folder.
	 * @return that folder
	 * @throws InputRejectedException 404 when no model of that name is served or has
	 * files
	 */
	public synchronized Path retire(String name) throws IOException {
		Path dir = models.directory();
		if (!isImageModel(dir, name)) {
			// another kind of model (the credit model's descriptor) is not this page's
			throw new InputRejectedException(HttpStatus.NOT_FOUND, "addmodel.unknown-model", "no image model " + name,
					name);
		}
		List<Path> files = existingFiles(dir, name);
		models.retire(name);
		Path target = dir.resolve("retired").resolve(name + "-" + LocalDateTime.now().format(STAMP));
		Files.createDirectories(target);
		for (Path file : files) {
			Files.move(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
		}
		log.info("Model {} retired; its files are in {}", name, target);
		return target;
	}

	public void discard(String id) {
		ModelDraft draft = drafts.remove(id);
		if (draft != null) {
			draft.closeTrial();
			try {
				FileSystemUtils.deleteRecursively(draft.dir());
				dropConversionIfUnused(draft);
			}
			catch (IOException ex) {
				log.warn("Could not delete the draft {}: {}", draft.dir(), ex.getMessage());
			}
		}
	}

	/**
	 * The importer's conversion of a draft stays in the cache while a served model or
	 * another draft is the same file (a published draft is); else it goes with the draft.
	 */
	private void dropConversionIfUnused(ModelDraft draft) throws IOException {
		String sha = draft.imported().sha256();
		boolean used = models.ready().stream().anyMatch(model -> model.sha256().equals(sha))
				|| drafts.values().stream().anyMatch(other -> other.imported().sha256().equals(sha));
		if (!used) {
			FileSystemUtils.deleteRecursively(draft.imported().savedModelDir());
		}
	}

	@Override
	public void destroy() {
		new ArrayList<>(drafts.keySet()).forEach(this::discard);
	}

	/** The draft loaded with this description, reloaded when the description changed. */
	private ImageModel trialModel(ModelDraft draft, ModelForm form) throws IOException {
		String yaml = form.toYaml();
		synchronized (draft) {
			if (draft.trial() != null && yaml.equals(draft.trialDescriptor())) {
				return draft.trial();
			}
			// one trial at a time: its session goes before another loads, and its meters
			// with it
			draft.closeTrial();
			Path descriptor = draft.dir().resolve("model.yml");
			Files.writeString(descriptor, yaml, StandardCharsets.UTF_8);
			try {
				ImageModel model = loader.load("draft-" + draft.id().substring(0, 8), draft.file(), descriptor);
				draft.trial(model, yaml);
				return model;
			}
			catch (InvalidDescriptorException ex) {
				var reason = RefusalReasons.of(ex);
				throw new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "addmodel.rejected.descriptor",
						"draft " + draft.id() + ": " + reason.getDefaultMessage(), reason);
			}
			catch (IOException | RuntimeException | ai.djl.MalformedModelException
					| ai.djl.repository.zoo.ModelNotFoundException ex) {
				String reason = ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
				throw new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "addmodel.rejected.descriptor",
						"draft " + draft.id() + ": " + reason, RefusalReasons.inEnglish(reason));
			}
		}
	}

	private void restore(Path retired, Path dir, String name) throws IOException {
		try (var files = Files.list(retired)) {
			for (Path file : files.sorted(Comparator.comparing(p -> p.toString().endsWith(".yml") ? 1 : 0)).toList()) {
				Files.move(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
			}
		}
		Files.deleteIfExists(retired);
		models.publish(name);
		log.warn("Model {} put back: the model meant to replace it did not load", name);
	}

	private static List<Path> existingFiles(Path dir, String name) {
		List<Path> files = new ArrayList<>();
		for (String extension : List.of(".h5", ".keras", ".yml", ".yaml", ".report.md")) {
			Path file = dir.resolve(name + extension);
			if (Files.isRegularFile(file)) {
				files.add(file);
			}
		}
		return files;
	}

	private void dropOldest() {
		while (drafts.size() > Math.max(1, limits.maxDrafts())) {
			drafts.values()
				.stream()
				.min(Comparator.comparing(ModelDraft::created))
				.ifPresent(oldest -> discard(oldest.id()));
		}
	}

	private InputRejectedException tooLarge(long size) {
		return new InputRejectedException(HttpStatus.CONTENT_TOO_LARGE, "addmodel.rejected.too-large",
				"model upload of " + size + " bytes", limits.maxModelMegabytes());
	}

	private static boolean isZip(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			byte[] head = in.readNBytes(4);
			return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
		}
	}

	private static String safeName(String name) {
		return UploadedFile.safeName(name, "model");
	}

}
