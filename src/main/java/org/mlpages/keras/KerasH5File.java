package org.mlpages.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read access to a Keras HDF5 file as written by {@code keras/saving/hdf5_format.py}
 * (Keras 2.x, tf_keras): root attributes {@code model_config}, {@code keras_version},
 * {@code backend}; a {@code model_weights} group with one sub-group per top-level layer,
 * listed in {@code layer_names}; each with {@code weight_names} whose entries are dataset
 * paths relative to that group.
 */
final class KerasH5File implements WeightSource, AutoCloseable {

	private final HdfFile hdf;

	private final Group weightsRoot;

	/**
	 * weight_names per top-level group: a nested model asks once per leaf, and the list
	 * can be long.
	 */
	private final Map<String, List<String>> weightNames = new HashMap<>();

	private KerasH5File(HdfFile hdf) {
		this.hdf = hdf;
		Node mw = hdf.getChild("model_weights");
		// files from save_weights() keep the layer groups at the root
		this.weightsRoot = mw instanceof Group g ? g : hdf;
	}

	/** Takes over {@code hdf}: closing this closes it. */
	static KerasH5File of(HdfFile hdf) {
		return new KerasH5File(hdf);
	}

	static KerasH5File open(Path file) {
		try {
			return new KerasH5File(new HdfFile(file));
		}
		catch (HdfException e) {
			throw new KerasImportException(KerasImportException.Reason.UNREADABLE,
					"Not a readable HDF5 file: " + file + " (" + e.getMessage() + ")", e,
					file.getFileName().toString());
		}
	}

	String modelConfigJson() {
		String json = stringAttribute(hdf, "model_config");
		if (json == null) {
			throw new KerasImportException("No model_config attribute: the file holds weights only, not a model"
					+ " (give the architecture JSON that model.to_json() writes with it)");
		}
		return json;
	}

	boolean hasModelConfig() {
		return hdf.getAttribute("model_config") != null;
	}

	/**
	 * Fails for a Keras 3 {@code .weights.h5} (saving_lib's H5IOStore:
	 * {@code layers/<snake_case class>/vars/0}, positional, no {@code layer_names}),
	 * which this reader does not map onto layer names.
	 */
	void requireLegacyWeightsLayout() {
		boolean keras3Store = hdf.getChild("layers") instanceof Group && !hdf.getAttributes().containsKey("layer_names")
				&& !(hdf.getChild("model_weights") instanceof Group);
		if (keras3Store) {
			throw new KerasImportException("This is a Keras 3 weights file (layers/*/vars/*), not a legacy HDF5 model"
					+ " (save the whole model with model.save(\"model.h5\") to use it here)");
		}
		if (layerNames().isEmpty() && !(hdf.getChild("model_weights") instanceof Group)) {
			throw new KerasImportException("The file has neither model_weights nor layer_names: not a Keras .h5 file");
		}
	}

	String kerasVersion() {
		String v = stringAttribute(hdf, "keras_version");
		return v != null ? v : stringAttribute(weightsRoot, "keras_version");
	}

	String backend() {
		String v = stringAttribute(hdf, "backend");
		return v != null ? v : stringAttribute(weightsRoot, "backend");
	}

	List<String> layerNames() {
		return stringList(weightsRoot, "layer_names");
	}

	@Override
	public LayerWeights weightsFor(LayerPath path) {
		return weightsFor(path.top().name(), path.leaf().name(), path.isNested());
	}

	/**
	 * @param topLevelLayer the layer of the outermost model that contains this layer (its
	 * own name for top-level layers): one HDF5 group per top-level layer
	 * @param nested whether the leaf sits inside a nested model, whose weights share the
	 * group of the top-level layer
	 */
	LayerWeights weightsFor(String topLevelLayer, String layerName, boolean nested) {
		try {
			Node node = weightsRoot.getChild(topLevelLayer);
			if (!(node instanceof Group group)) {
				return LayerWeights.none(layerName);
			}
			Map<String, Weight> weights = new LinkedHashMap<>();
			List<String> names = weightNames.computeIfAbsent(topLevelLayer, k -> stringList(group, "weight_names"));
			for (String weightName : names) {
				if (nested && !belongsTo(weightName, layerName)) {
					continue;
				}
				String key = shortName(weightName);
				if (weights.containsKey(key)) {
					throw new KerasImportException(
							"Layer '" + layerName + "' has two weights named '" + key + "' in group " + topLevelLayer);
				}
				weights.put(key, readWeight(group, weightName));
			}
			return new LayerWeights(layerName, weights);
		}
		catch (HdfException e) {
			throw new KerasImportException("Cannot read the weights of layer '" + layerName + "': " + e.getMessage(),
					e);
		}
	}

	/**
	 * Weights of layers inside nested models are stored in the top-level layer's group
	 * under names such as {@code Conv1/kernel:0} (tf_keras 2.20, Keras 2.4) or
	 * {@code sequential_1/Conv1/kernel:0}; the leaf's name is one of the path segments
	 * before the last.
	 */
	static boolean belongsTo(String weightName, String layerName) {
		String[] segments = weightName.split("/");
		for (int i = 0; i < segments.length - 1; i++) {
			if (segments[i].equals(layerName)) {
				return true;
			}
		}
		return false;
	}

	/** {@code block_1/depthwise_kernel:0} -> {@code depthwise_kernel}. */
	static String shortName(String weightName) {
		String last = weightName.substring(weightName.lastIndexOf('/') + 1);
		int colon = last.lastIndexOf(':');
		return colon > 0 ? last.substring(0, colon) : last;
	}

	static Weight readWeight(Group group, String weightName) {
		Node node = group.getByPath(weightName);
		if (!(node instanceof Dataset ds)) {
			throw new KerasImportException("Weight " + group.getPath() + weightName + " is not a dataset");
		}
		long[] shape = Arrays.stream(ds.getDimensions()).asLongStream().toArray();
		Object flat = ds.getDataFlat();
		float[] data;
		if (flat instanceof float[] f) {
			data = f;
		}
		else if (flat instanceof double[] d) {
			data = new float[d.length];
			for (int i = 0; i < d.length; i++) {
				data[i] = (float) d[i];
			}
		}
		else if (flat instanceof Number n) {
			data = new float[] { n.floatValue() };
		}
		else if (flat instanceof long[] l) {
			// Normalization's sample count is an int64; nothing reads it, but it must not
			// fail the import
			data = new float[l.length];
			for (int i = 0; i < l.length; i++) {
				data[i] = l[i];
			}
		}
		else if (flat instanceof int[] l) {
			data = new float[l.length];
			for (int i = 0; i < l.length; i++) {
				data[i] = l[i];
			}
		}
		else {
			throw new KerasImportException("Weight " + group.getPath() + weightName + " is of type " + ds.getJavaType()
					+ ", not floating point");
		}
		return new Weight(weightName, shape, data);
	}

	private static String stringAttribute(Node node, String name) {
		Attribute a = node.getAttribute(name);
		if (a == null) {
			return null;
		}
		Object data = a.getData();
		if (data instanceof String s) {
			return s;
		}
		if (data instanceof String[] arr && arr.length == 1) {
			return arr[0];
		}
		return null;
	}

	/**
	 * A string-list attribute. HDF5 object headers hold at most 64 KB, so Keras splits
	 * long lists into {@code name0}, {@code name1}, ...; an empty list is written as an
	 * empty float64 array.
	 */
	static List<String> stringList(Node node, String name) {
		Map<String, Attribute> attributes = node.getAttributes();
		if (attributes.containsKey(name)) {
			return toStrings(attributes.get(name).getData(), node, name);
		}
		List<String> all = new ArrayList<>();
		for (int chunk = 0; attributes.containsKey(name + chunk); chunk++) {
			all.addAll(toStrings(attributes.get(name + chunk).getData(), node, name + chunk));
		}
		return all;
	}

	private static List<String> toStrings(Object data, Node node, String name) {
		if (data == null) {
			return List.of();
		}
		if (data instanceof String s) {
			return List.of(s);
		}
		if (data instanceof String[] arr) {
			return List.of(arr);
		}
		if (data.getClass().isArray() && !(data instanceof Object[]) && Array.getLength(data) == 0) {
			return List.of();
		}
		throw new KerasImportException("Attribute " + node.getPath() + "@" + name + " is not a list of strings but "
				+ data.getClass().getSimpleName());
	}

	@Override
	public void close() {
		hdf.close();
	}

}
