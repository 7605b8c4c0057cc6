package org.mlpages.keras;

import io.jhdf.HdfFile;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.mlpages.keras.KerasImportException.Reason;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Keras model file opened for reading, whatever its kind, told by its first bytes and
 * not by its name: a legacy HDF5 model ({@code model.save("m.h5")}, also when named
 * {@code .keras}), a Keras 3 archive ({@code model.save("m.keras")}: a ZIP holding
 * {@code config.json}, {@code metadata.json} and {@code model.weights.h5}), or weights
 * alone with the architecture JSON of {@code model.to_json()} beside them (legacy
 * {@code save_weights()} files and Keras 3 {@code .weights.h5}). Pickles are refused
 * before anything reads them.
 */
final class KerasModelFile implements AutoCloseable {

	/** What a file turned out to be, in the words the inspector prints. */
	enum Kind {

		LEGACY_HDF5("HDF5 model (legacy .h5)"),
		LEGACY_HDF5_WEIGHTS("HDF5 weights (legacy save_weights) + architecture JSON"),
		KERAS_ARCHIVE("Keras 3 archive (.keras)"), KERAS3_WEIGHTS("Keras 3 weights (.weights.h5) + architecture JSON"),
		KERAS3_SHARDED_WEIGHTS("Keras 3 sharded weights (.weights.json and its shards) + architecture JSON");

		private final String description;

		Kind(String description) {
			this.description = description;
		}

		String description() {
			return description;
		}

	}

	/** What {@code config.json} may weigh: the largest real ones are a few hundred KB. */
	static final long MAX_CONFIG_BYTES = 32L << 20;

	/** What the weights inside an archive may weigh once extracted. */
	static final long MAX_WEIGHTS_BYTES = 4L << 30;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final byte[] HDF5_SIGNATURE = { (byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n' };

	private static final byte[] ZIP_SIGNATURE = { 'P', 'K', 3, 4 };

	private final Kind kind;

	private final ModelDefinition model;

	private final String kerasVersion;

	private final String backend;

	private final WeightSource weights;

	private final List<AutoCloseable> resources;

	private KerasModelFile(Kind kind, ModelDefinition model, String kerasVersion, String backend, WeightSource weights,
			List<AutoCloseable> resources) {
		this.kind = kind;
		this.model = model;
		this.kerasVersion = kerasVersion;
		this.backend = backend;
		this.weights = weights;
		this.resources = resources;
	}

	/**
	 * @param archJson the JSON of {@code model.to_json()} for a weights-only file, else
	 * null; when given it takes precedence over an architecture in the file
	 * @throws KerasImportException if the file is not a Keras model (or weights file)
	 * this package reads, with a sentence saying what it is
	 */
	static KerasModelFile open(Path file, Path archJson, LayerConverters converters) throws IOException {
		byte[] head = new byte[8];
		int n;
		try (InputStream in = Files.newInputStream(file)) {
			n = in.readNBytes(head, 0, head.length);
		}
		if (startsWith(head, n, HDF5_SIGNATURE)) {
			return openHdf5(file, archJson, converters);
		}
		if (startsWith(head, n, ZIP_SIGNATURE)) {
			return openArchive(file, archJson, converters);
		}
		if (n > 0 && head[0] == '{' && readJson(file, file.getFileName().toString()).has("weight_map")) {
			return openShards(file, archJson, converters);
		}
		throw notAModel(file, head, n);
	}

	/**
	 * The files a model is read from: the file itself, and for the index of sharded
	 * weights ({@code save_weights("m.weights.json", max_shard_size=...)}) the shards it
	 * lists, in order.
	 */
	static List<Path> sourceFiles(Path file) throws IOException {
		byte[] head = new byte[1];
		int n;
		try (InputStream in = Files.newInputStream(file)) {
			n = in.readNBytes(head, 0, 1);
		}
		if (n == 0 || head[0] != '{') {
			return List.of(file);
		}
		JsonNode index = readJson(file, file.getFileName().toString());
		if (!index.has("weight_map")) {
			return List.of(file);
		}
		List<Path> files = new ArrayList<>();
		files.add(file);
		files.addAll(shardsOf(file, index));
		return files;
	}

	private static KerasModelFile openShards(Path file, Path archJson, LayerConverters converters) throws IOException {
		if (archJson == null) {
			throw new KerasImportException(Reason.WEIGHTS_ONLY,
					file.getFileName() + " indexes sharded Keras 3"
							+ " weights, not the architecture: give the JSON that model.to_json() wrote with it",
					null, file.getFileName().toString());
		}
		List<Path> shards = shardsOf(file, readJson(file, file.getFileName().toString()));
		List<HdfFile> opened = new ArrayList<>();
		List<AutoCloseable> resources = new ArrayList<>();
		try {
			for (Path shard : shards) {
				try {
					HdfFile hdf = new HdfFile(shard);
					opened.add(hdf);
					resources.add(hdf::close);
				}
				catch (HdfException e) {
					throw new KerasImportException("The shard " + shard.getFileName() + " is not a readable HDF5 file ("
							+ e.getMessage() + ")", e);
				}
			}
			JsonNode config = readJson(archJson, archJson.getFileName().toString());
			return new KerasModelFile(Kind.KERAS3_SHARDED_WEIGHTS, ModelDefinition.parse(config, 3),
					text(config, "keras_version"), text(config, "backend"), new Keras3WeightsStore(opened, converters),
					List.copyOf(resources));
		}
		catch (RuntimeException | IOException e) {
			closeAll(resources);
			throw e;
		}
	}

	/**
	 * The shards a {@code weight_map} names (a group's shard, or several when its
	 * variables span them), each a plain file name beside the index.
	 */
	private static List<Path> shardsOf(Path file, JsonNode index) {
		JsonNode map = index.get("weight_map");
		if (map == null || !map.isObject()) {
			throw new KerasImportException(
					file.getFileName() + " has no weight_map object: not a sharded weights index");
		}
		java.util.Set<String> names = new java.util.LinkedHashSet<>();
		for (var entry : map.properties()) {
			JsonNode v = entry.getValue();
			List<JsonNode> values = new ArrayList<>();
			if (v.isArray()) {
				v.forEach(values::add);
			}
			else {
				values.add(v);
			}
			for (JsonNode name : values) {
				if (!name.isString()) {
					throw new KerasImportException(
							file.getFileName() + ": the shard of " + entry.getKey() + " is not a file name: " + name);
				}
				names.add(name.stringValue());
			}
		}
		List<Path> shards = new ArrayList<>();
		for (String name : names) {
			// a shard is a file beside its index: no folders, no way out of this one
			if (!name.matches("[A-Za-z0-9_][A-Za-z0-9._-]*") || name.contains("..")) {
				throw new KerasImportException(
						file.getFileName() + " names a shard that is not a plain file name" + " beside it: " + name);
			}
			Path shard = file.resolveSibling(name);
			if (!Files.isRegularFile(shard)) {
				throw new KerasImportException(
						"The shard " + name + " listed in " + file.getFileName() + " is missing");
			}
			shards.add(shard);
		}
		if (shards.isEmpty()) {
			throw new KerasImportException(file.getFileName() + " lists no shards");
		}
		return shards;
	}

	private static KerasModelFile openHdf5(Path file, Path archJson, LayerConverters converters) throws IOException {
		HdfFile hdf;
		try {
			hdf = new HdfFile(file);
		}
		catch (HdfException e) {
			throw new KerasImportException(Reason.UNREADABLE,
					"Not a readable HDF5 file: " + file.getFileName() + " (" + e.getMessage() + ")", e,
					file.getFileName().toString());
		}
		try {
			if (Keras3WeightsStore.isKeras3Layout(hdf)) {
				if (archJson == null) {
					throw new KerasImportException(Reason.WEIGHTS_ONLY, file.getFileName() + " holds Keras 3 weights"
							+ " only (layers/*/vars/*), not the architecture: give the JSON that model.to_json() wrote"
							+ " with it, or save the whole model with model.save(\"model.keras\")", null,
							file.getFileName().toString());
				}
				JsonNode config = readJson(archJson, archJson.getFileName().toString());
				return new KerasModelFile(Kind.KERAS3_WEIGHTS, ModelDefinition.parse(config, 3),
						text(config, "keras_version"), text(config, "backend"),
						new Keras3WeightsStore(List.of(hdf), converters), List.of(hdf::close));
			}
			KerasH5File legacy = KerasH5File.of(hdf);
			legacy.requireLegacyWeightsLayout();
			JsonNode config;
			String version = legacy.kerasVersion();
			String backend = legacy.backend();
			if (archJson != null) {
				config = readJson(archJson, archJson.getFileName().toString());
				version = text(config, "keras_version") != null ? text(config, "keras_version") : version;
				backend = text(config, "backend") != null ? text(config, "backend") : backend;
			}
			else if (!legacy.hasModelConfig()) {
				throw new KerasImportException(Reason.WEIGHTS_ONLY,
						file.getFileName() + " holds weights only (no model_config attribute), not a"
								+ " model (give the architecture JSON that model.to_json() writes with it)",
						null, file.getFileName().toString());
			}
			else {
				config = parseJson(legacy.modelConfigJson(), "model_config");
			}
			ModelDefinition model = ModelDefinition.parse(config, ModelDefinition.kerasMajor(version, config));
			return new KerasModelFile(archJson == null ? Kind.LEGACY_HDF5 : Kind.LEGACY_HDF5_WEIGHTS, model, version,
					backend, legacy, List.of(legacy));
		}
		catch (RuntimeException | IOException e) {
			hdf.close();
			throw e;
		}
	}

	private static KerasModelFile openArchive(Path file, Path archJson, LayerConverters converters) throws IOException {
		List<AutoCloseable> resources = new ArrayList<>();
		try (ZipFile zip = new ZipFile(file.toFile())) {
			ZipEntry configEntry = zip.getEntry("config.json");
			ZipEntry weightsEntry = zip.getEntry("model.weights.h5");
			String name = file.getFileName().toString();
			if (configEntry == null) {
				boolean savedModel = zip.getEntry("saved_model.pb") != null
						|| zip.stream().anyMatch(e -> e.getName().endsWith("/saved_model.pb"));
				throw new KerasImportException(savedModel ? Reason.SAVED_MODEL : Reason.ZIP_NOT_KERAS,
						name + " is a ZIP archive but not a Keras model: it has no config.json" + (savedModel
								? " (it holds a TensorFlow SavedModel, which is not supported: save the model with"
										+ " model.save(\"model.keras\"))"
								: ""),
						null, name);
			}
			if (weightsEntry == null) {
				boolean npz = zip.getEntry("model.weights.npz") != null;
				throw new KerasImportException(npz ? Reason.NPZ_WEIGHTS : Reason.ZIP_NOT_KERAS, name + (npz
						? " stores its weights as model.weights.npz, which is not supported: save it with Keras's"
								+ " default format (model.save(\"model.keras\"))"
						: " is a ZIP archive with a config.json but no model.weights.h5: not a Keras model"), null,
						name);
			}
			JsonNode config = archJson != null ? readJson(archJson, archJson.getFileName().toString())
					: parseJson(readEntry(zip, configEntry, MAX_CONFIG_BYTES, file), "config.json");
			String version = null;
			ZipEntry metadataEntry = zip.getEntry("metadata.json");
			if (metadataEntry != null) {
				version = text(parseJson(readEntry(zip, metadataEntry, MAX_CONFIG_BYTES, file), "metadata.json"),
						"keras_version");
			}
			// jHDF reads files, not streams: the weights are extracted for as long as
			// this is open
			Path weightsFile = Files.createTempFile("mlpages-", ".weights.h5");
			resources.add(() -> Files.deleteIfExists(weightsFile));
			try (InputStream in = zip.getInputStream(weightsEntry);
					OutputStream out = Files.newOutputStream(weightsFile)) {
				// weights compress little (Keras stores them uncompressed): a file that
				// inflates to much more than the archive is a bomb
				copyAtMost(in, out, Math.min(MAX_WEIGHTS_BYTES, Math.max(64L << 20, 20 * Files.size(file))),
						file.getFileName() + "'s model.weights.h5");
			}
			HdfFile hdf;
			try {
				hdf = new HdfFile(weightsFile);
			}
			catch (HdfException e) {
				throw new KerasImportException(Reason.UNREADABLE,
						file.getFileName() + "'s model.weights.h5 is not a readable HDF5 file (" + e.getMessage() + ")",
						e, file.getFileName().toString());
			}
			resources.add(0, hdf::close);
			ModelDefinition model = ModelDefinition.parse(config, ModelDefinition.kerasMajor(version, config));
			return new KerasModelFile(Kind.KERAS_ARCHIVE, model, version, "tensorflow",
					new Keras3WeightsStore(List.of(hdf), converters), List.copyOf(resources));
		}
		catch (ZipException e) {
			closeAll(resources);
			throw new KerasImportException(Reason.UNREADABLE,
					file.getFileName() + " looks like a ZIP archive but cannot be read as one (" + e.getMessage() + ")",
					e, file.getFileName().toString());
		}
		catch (RuntimeException | IOException e) {
			closeAll(resources);
			throw e;
		}
	}

	/**
	 * The sentence for a file that is neither HDF5 nor ZIP, saying what it looks like
	 * when that is telling.
	 */
	static KerasImportException notAModel(Path file, byte[] head, int n) {
		String name = file.getFileName().toString();
		String lower = name.toLowerCase(Locale.ROOT);
		boolean pickle = n >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5;
		if (pickle || lower.endsWith(".pkl") || lower.endsWith(".pickle") || lower.endsWith(".joblib")) {
			return new KerasImportException(Reason.PICKLE, name + " is a Python pickle: loading a pickle runs the code"
					+ " it contains, so it is never opened here. Save a Keras model with model.save(\"model.keras\");"
					+ " export a scikit-learn model to ONNX (skl2onnx.to_onnx)", null, name);
		}
		if (n > 0 && (head[0] == '{' || head[0] == '[')) {
			return new KerasImportException(Reason.JSON_NOT_A_MODEL, name + " is JSON, not a model: an architecture"
					+ " from model.to_json() goes with the weights file (--arch)", null, name);
		}
		if (n == 0) {
			return new KerasImportException(Reason.EMPTY, name + " is empty", null, name);
		}
		return new KerasImportException(Reason.NOT_A_MODEL,
				name + " is not a Keras model file: neither HDF5 (.h5) nor a Keras 3 archive (.keras)", null, name);
	}

	Kind kind() {
		return kind;
	}

	ModelDefinition model() {
		return model;
	}

	/** {@code keras_version} as the file states it, or null. */
	String kerasVersion() {
		return kerasVersion;
	}

	String backend() {
		return backend;
	}

	WeightSource weights() {
		return weights;
	}

	@Override
	public void close() {
		closeAll(resources);
	}

	private static void closeAll(List<AutoCloseable> resources) {
		for (AutoCloseable r : resources) {
			try {
				r.close();
			}
			catch (Exception e) {
				// best effort: a temporary file left behind is removed with the temp dir
			}
		}
	}

	private static boolean startsWith(byte[] head, int n, byte[] signature) {
		if (n < signature.length) {
			return false;
		}
		for (int i = 0; i < signature.length; i++) {
			if (head[i] != signature[i]) {
				return false;
			}
		}
		return true;
	}

	private static String readEntry(ZipFile zip, ZipEntry entry, long max, Path file) throws IOException {
		try (InputStream in = zip.getInputStream(entry)) {
			var out = new java.io.ByteArrayOutputStream();
			copyAtMost(in, out, max, file.getFileName() + "'s " + entry.getName());
			return out.toString(java.nio.charset.StandardCharsets.UTF_8);
		}
	}

	/** Counts what is inflated, not what the archive declares, which may lie. */
	private static void copyAtMost(InputStream in, OutputStream out, long max, String what) throws IOException {
		byte[] buffer = new byte[1 << 16];
		long total = 0;
		for (int r; (r = in.read(buffer)) > 0;) {
			total += r;
			if (total > max) {
				throw new KerasImportException(Reason.TOO_LARGE, what + " is larger than " + (max >> 20) + " MB", null,
						what, String.valueOf(max >> 20));
			}
			out.write(buffer, 0, r);
		}
	}

	private static JsonNode readJson(Path file, String what) throws IOException {
		if (Files.size(file) > MAX_CONFIG_BYTES) {
			throw new KerasImportException(Reason.TOO_LARGE,
					what + " is larger than " + (MAX_CONFIG_BYTES >> 20) + " MB", null, what,
					String.valueOf(MAX_CONFIG_BYTES >> 20));
		}
		// decoded leniently: a file that is not UTF-8 text is then refused as invalid
		// JSON
		return parseJson(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8), what);
	}

	static JsonNode parseJson(String text, String what) {
		try {
			return JSON.readTree(text);
		}
		catch (JacksonException e) {
			throw new KerasImportException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
		}
	}

	private static String text(JsonNode node, String key) {
		JsonNode v = node == null ? null : node.get(key);
		return v != null && v.isString() ? v.stringValue() : null;
	}

}
