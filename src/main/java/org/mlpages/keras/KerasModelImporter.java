package org.mlpages.keras;

import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Converts Keras HDF5 models (Keras 2.x / tf_keras layout) into TensorFlow SavedModels
 * that DJL's TensorFlow engine loads, caching them by the file's SHA-256 under
 * {@code cacheRoot/savedmodels/}.
 *
 * <p>
 * Thread-safe; several JVMs may share a cache root. Unless
 * {@link TensorFlowNatives#ensureLoaded} was called before, the native libraries are
 * extracted under the same cache root on first conversion.
 */
public final class KerasModelImporter {

	public static final String INPUT_KEY = "input";

	public static final String OUTPUT_KEY = "output";

	public static final String SIGNATURE_KEY = "serving_default";

	/**
	 * Written last into a SavedModel directory; describes the import and marks the
	 * directory complete.
	 */
	static final String METADATA_FILE = "keras-import.json";

	/**
	 * Bump when converters change what they produce, so cached SavedModels are rebuilt.
	 */
	static final int FORMAT_VERSION = 5;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final ConcurrentMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

	private final LayerConverters converters;

	public KerasModelImporter() {
		this(LayerConverters.defaults());
	}

	public KerasModelImporter(LayerConverters converters) {
		this.converters = converters;
	}

	/**
	 * Returns the SavedModel for {@code h5File}, converting it unless the cache already
	 * has it.
	 * @throws UnsupportedLayerException if the model uses a layer no converter handles
	 * (nothing is written)
	 * @throws KerasImportException if the file is not a Keras model this importer
	 * understands
	 * @throws IOException if the file cannot be read or the cache cannot be written
	 */
	public ImportedModel importModel(Path h5File, Path cacheRoot) throws IOException {
		return importModel(h5File, null, cacheRoot);
	}

	/**
	 * As {@link #importModel(Path, Path)}, for a full model ({@code archJson} null) or
	 * for a weights-only file from {@code save_weights()} with the JSON that
	 * {@code model.to_json()} wrote. The architecture, when given, takes precedence over
	 * a {@code model_config} in the file.
	 */
	public ImportedModel importModel(Path h5File, Path archJson, Path cacheRoot) throws IOException {
		long start = System.nanoTime();
		if (!Files.isRegularFile(h5File)) {
			throw new NoSuchFileException(h5File.toString());
		}
		if (archJson != null && !Files.isRegularFile(archJson)) {
			throw new NoSuchFileException(archJson.toString());
		}
		List<Path> sources = KerasModelFile.sourceFiles(h5File);
		long size = 0;
		StringBuilder shas = new StringBuilder();
		for (Path source : sources) {
			size += Files.size(source);
			shas.append(shas.isEmpty() ? "" : "+").append(sha256(source));
		}
		if (archJson != null) {
			shas.append("+").append(sha256(archJson));
		}
		// what is converted (the architecture, every shard) is the cache key; one file is
		// keyed by its own hash
		String sha = shas.indexOf("+") < 0 ? shas.toString() : sha256(shas.toString());
		Path models = cacheRoot.toAbsolutePath().normalize().resolve("savedmodels");
		Path target = models.resolve(sha);

		// One conversion per file at a time in this JVM; other JVMs are handled by the
		// atomic rename.
		synchronized (LOCKS.computeIfAbsent(target, k -> new Object())) {
			Map<String, Object> cached = readMetadata(target);
			if (cached != null) {
				return toImportedModel(target, sha, size, cached, true, start);
			}
			Map<String, Object> metadata;
			try {
				metadata = convert(h5File, archJson, cacheRoot, models, target);
			}
			catch (HdfException e) {
				throw new KerasImportException("Cannot read " + h5File.getFileName() + ": " + e.getMessage(), e);
			}
			return toImportedModel(target, sha, size, metadata, false, start);
		}
	}

	private Map<String, Object> convert(Path h5File, Path archJson, Path cacheRoot, Path models, Path target)
			throws IOException {
		try (KerasModelFile file = KerasModelFile.open(h5File, archJson, converters)) {
			ModelDefinition model = file.model();
			ModelGraphBuilder builder = new ModelGraphBuilder(converters, file.weights());
			// Everything that can be rejected from the config alone is, before TensorFlow
			// is touched.
			ModelGraphBuilder.Inspection inspection = builder.inspect(model);

			if (System.getProperty("TENSORFLOW_LIBRARY_PATH") == null) {
				TensorFlowNatives.ensureLoaded(cacheRoot);
			}
			Files.createDirectories(models);
			Path tmp = Files.createTempDirectory(models, ".import-");
			try {
				int outputSize;
				try (Graph graph = new Graph()) {
					ModelGraphBuilder.Built built;
					try {
						built = builder.build(Ops.create(graph), model, INPUT_KEY, OUTPUT_KEY);
					}
					catch (IllegalArgumentException e) {
						// TF's shape inference rejects ops whose weights do not fit their
						// inputs
						throw new KerasImportException("TensorFlow rejected the converted graph: " + e.getMessage(), e);
					}
					org.tensorflow.ndarray.Shape outShape = built.output().shape();
					outputSize = outShape.isUnknown() ? -1
							: outShape.numDimensions() == 0 ? 1 : (int) outShape.size(outShape.numDimensions() - 1);
					try (Graph pruned = new Graph()) {
						pruned.importGraphDef(ReachableGraph.of(graph, built.output(), built.input()));
						Signature signature = Signature.builder()
							.key(SIGNATURE_KEY)
							.input(INPUT_KEY, pruned.operation(built.input().op().name()).output(0))
							.output(OUTPUT_KEY, pruned.operation(built.output().op().name()).output(0))
							.build();
						export(pruned, signature, tmp);
					}
				}
				Map<String, Object> metadata = new LinkedHashMap<>();
				metadata.put("formatVersion", FORMAT_VERSION);
				metadata.put("source", h5File.getFileName().toString());
				metadata.put("kerasVersion", file.kerasVersion());
				metadata.put("backend", file.backend());
				metadata.put("format", file.kind().description());
				metadata.put("inputShape", inspection.inputShape());
				metadata.put("outputSize", outputSize);
				metadata.put("inputKey", INPUT_KEY);
				metadata.put("outputKey", OUTPUT_KEY);
				metadata.put("layers", inspection.layers());
				metadata.put("outputActivation", inspection.outputActivation());
				metadata.put("inputRescaling", inspection.inputRescaling());
				JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(METADATA_FILE).toFile(), metadata);
				CacheDirectories.publish(tmp, target, dir -> readMetadata(dir) != null);
			}
			finally {
				CacheDirectories.deleteQuietly(tmp);
			}
		}
		Map<String, Object> metadata = readMetadata(target);
		if (metadata == null) {
			throw new IOException("Converted model in " + target + " is incomplete");
		}
		return metadata;
	}

	/** The metadata of a complete, current SavedModel directory, or null. */
	@SuppressWarnings("unchecked")
	static Map<String, Object> readMetadata(Path dir) {
		Path file = dir.resolve(METADATA_FILE);
		if (!Files.isRegularFile(file) || !Files.isRegularFile(dir.resolve("saved_model.pb"))) {
			return null;
		}
		try {
			Map<String, Object> m = JSON.readValue(file.toFile(), Map.class);
			boolean current = m.get("formatVersion") instanceof Number v && v.intValue() == FORMAT_VERSION;
			boolean whole = m.get("inputShape") instanceof List && m.get("layers") instanceof List
					&& m.get("outputSize") instanceof Number;
			return current && whole ? m : null;
		}
		catch (JacksonException e) {
			return null;
		}
	}

	@SuppressWarnings("unchecked")
	private static ImportedModel toImportedModel(Path dir, String sha, long size, Map<String, Object> m,
			boolean fromCache, long start) {
		List<Number> shape = (List<Number>) m.get("inputShape");
		long[] inputShape = shape.stream().mapToLong(Number::longValue).toArray();
		List<String> layers = new ArrayList<>((List<String>) m.get("layers"));
		return new ImportedModel(dir, sha, size, (String) m.get("kerasVersion"), (String) m.get("backend"), inputShape,
				((Number) m.get("outputSize")).intValue(), (String) m.get("inputKey"), (String) m.get("outputKey"),
				layers, fromCache, Duration.ofNanos(System.nanoTime() - start), (String) m.get("format"),
				(String) m.get("outputActivation"), (String) m.get("inputRescaling"));
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256")
					.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("Every JRE has SHA-256", e);
		}
	}

	static String sha256(Path file) throws IOException {
		MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("Every JRE has SHA-256", e);
		}
		byte[] buffer = new byte[1 << 16];
		try (InputStream in = Files.newInputStream(file)) {
			for (int n; (n = in.read(buffer)) > 0;) {
				digest.update(buffer, 0, n);
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private static void export(Graph graph, Signature signature, Path dir) throws IOException {
		try (Session session = new Session(graph)) {
			SavedModelBundle.exporter(dir.toString()).withSession(session).withSignature(signature).export();
		}
		catch (TensorFlowException e) {
			throw new IOException("Cannot write the SavedModel into " + dir + ": " + e.getMessage(), e);
		}
	}

}
