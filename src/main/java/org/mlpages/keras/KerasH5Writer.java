package org.mlpages.keras;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a whole Keras model as a .h5 file in the layout of tf.keras / tf_keras 2.x's
 * {@code model.save("x.h5")} (without an optimizer), with jHDF: <pre>
 * /                     @keras_version, @backend, @model_config (JSON)
 * /model_weights        @layer_names, @keras_version, @backend
 * /model_weights/LAYER  @weight_names: dataset paths relative to the group, e.g. "dense/kernel:0"
 * /model_weights/LAYER/dense/kernel:0   float32 dataset
 * </pre>
 *
 * <p>
 * Two limits of jHDF 0.9.4's writer shape the file, and both keep it readable by h5py and
 * Keras:
 * <ul>
 * <li>it writes strings as fixed-length UTF-8, not h5py's variable-length strings, and an
 * attribute must fit in one 64 KB object-header message. h5py returns such strings as
 * bytes, which Keras decodes. Keras itself splits long name lists into
 * {@code layer_names0}, {@code layer_names1} ..., and so does this writer. The model
 * config cannot be split, so it is compacted: initializers, null regularizers and
 * constraints, {@code build_config}, {@code module} and {@code registered_name} do not
 * change what a loaded model computes, and dropping them brings a MobileNetV2 config from
 * 120 KB to 44 KB. A config still too large is refused.</li>
 * <li>it cannot write an empty array attribute, which is what Keras gives a weightless
 * layer (InputLayer, pooling, Flatten ...) as {@code weight_names}; and an empty group,
 * or one with attributes only, placed after a dataset comes out corrupt (its object
 * header is overwritten: h5py reports "bad object header version number"). So weightless
 * layers get no group and are left out of {@code layer_names}. Keras's loader
 * ({@code load_weights_from_hdf5_group}) drops weightless layers and groups without
 * weights before it pairs them in order, so it pairs the same layers; {@link KerasH5File}
 * reads a missing group as no weights.</li>
 * </ul>
 * Keras 2.13+ also writes an empty {@code top_level_model_weights} group; its loaders
 * only read it when present, as for files of earlier versions, so it is left out.
 */
public final class KerasH5Writer {

	/**
	 * Keras's own limit for one attribute (HDF5_OBJECT_HEADER_LIMIT in its
	 * hdf5_format.py).
	 */
	static final int ATTRIBUTE_LIMIT = 64512;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * One top-level layer's weights.
	 *
	 * @param weightNames paths relative to the layer's group, in the order Keras assigns
	 * them
	 * @param values one Java array per weight (float[], float[][], ... as jHDF reads and
	 * writes them)
	 */
	public record LayerGroup(String name, List<String> weightNames, List<Object> values) {
		public LayerGroup {
			if (weightNames.size() != values.size()) {
				throw new IllegalArgumentException("one value per weight name");
			}
			weightNames = List.copyOf(weightNames);
			values = List.copyOf(values);
		}
	}

	private KerasH5Writer() {
	}

	/**
	 * Writes the model to {@code out}: first to a temporary file beside it, then renamed
	 * over it, so a reader never sees half a file.
	 */
	public static void write(Path out, JsonNode modelConfig, String kerasVersion, String backend,
			List<LayerGroup> layers) throws IOException {
		String config = compactConfig(modelConfig);
		int bytes = config.getBytes(StandardCharsets.UTF_8).length;
		if (bytes > ATTRIBUTE_LIMIT) {
			throw new IOException("The model config is " + bytes + " bytes even compacted; an HDF5 attribute written"
					+ " by jHDF holds at most " + ATTRIBUTE_LIMIT);
		}
		Path dir = out.toAbsolutePath().getParent();
		Files.createDirectories(dir);
		Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
		try {
			try (WritableHdfFile h5 = HdfFile.write(tmp)) {
				h5.putAttribute("keras_version", kerasVersion == null ? "2.20.1" : kerasVersion);
				h5.putAttribute("backend", backend == null ? "tensorflow" : backend);
				h5.putAttribute("model_config", config);
				WritableGroup mw = h5.putGroup("model_weights");
				List<LayerGroup> weighted = layers.stream().filter(l -> !l.weightNames().isEmpty()).toList();
				putStringList(mw, "layer_names", weighted.stream().map(LayerGroup::name).toList());
				mw.putAttribute("backend", backend == null ? "tensorflow" : backend);
				mw.putAttribute("keras_version", kerasVersion == null ? "2.20.1" : kerasVersion);
				for (LayerGroup layer : weighted) {
					WritableGroup group = mw.putGroup(layer.name());
					putStringList(group, "weight_names", layer.weightNames());
					for (int i = 0; i < layer.weightNames().size(); i++) {
						String[] path = layer.weightNames().get(i).split("/");
						WritableGroup parent = group;
						for (int p = 0; p < path.length - 1; p++) {
							parent = parent.getChild(path[p]) instanceof WritableGroup existing ? existing
									: parent.putGroup(path[p]);
						}
						parent.putDataset(path[path.length - 1], layer.values().get(i));
					}
				}
			}
			// temp files are created owner-only; a model is read by whoever serves it
			readableByAll(tmp);
			Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}

	static void readableByAll(Path file) throws IOException {
		if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
			Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
		}
	}

	/**
	 * A string list as Keras's {@code save_attributes_to_hdf5_group} stores it: one
	 * attribute, or numbered chunks when the fixed-length array would pass the attribute
	 * limit; nothing for an empty list.
	 */
	static void putStringList(WritableGroup group, String name, List<String> values) {
		if (values.isEmpty()) {
			return;
		}
		int longest = values.stream().mapToInt(v -> v.getBytes(StandardCharsets.UTF_8).length + 1).max().orElse(1);
		int chunks = 1;
		while ((long) longest * ((values.size() + chunks - 1) / chunks) > ATTRIBUTE_LIMIT) {
			chunks++;
		}
		if (chunks == 1) {
			group.putAttribute(name, values.toArray(String[]::new));
			return;
		}
		int per = (values.size() + chunks - 1) / chunks;
		for (int c = 0; c * per < values.size(); c++) {
			List<String> chunk = values.subList(c * per, Math.min((c + 1) * per, values.size()));
			group.putAttribute(name + c, chunk.toArray(String[]::new));
		}
	}

	/**
	 * The model config as compact JSON without the keys that do not change a loaded model
	 * (see the class comment).
	 */
	static String compactConfig(JsonNode modelConfig) {
		JsonNode copy = modelConfig.deepCopy();
		strip(copy);
		return JSON.writeValueAsString(copy);
	}

	private static void strip(JsonNode node) {
		if (node instanceof ObjectNode object) {
			List<String> drop = new ArrayList<>();
			for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext();) {
				Map.Entry<String, JsonNode> e = it.next();
				String key = e.getKey();
				boolean unused = key.equals("module") || key.equals("registered_name") || key.equals("build_config")
						|| key.endsWith("_initializer")
						|| ((key.endsWith("_regularizer") || key.endsWith("_constraint")) && e.getValue().isNull());
				if (unused) {
					drop.add(key);
				}
				else {
					strip(e.getValue());
				}
			}
			drop.forEach(object::remove);
		}
		else if (node instanceof ArrayNode array) {
			array.forEach(KerasH5Writer::strip);
		}
	}

}
