package org.mlpages.keras;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small Keras-layout .h5 files with jHDF's (alpha) writer, for tests of the reader
 * and importer. jHDF cannot write an empty float64 attribute, so weightless layers get no
 * {@code weight_names}.
 */
final class TinyKerasFile {

	private final Map<String, Map<String, Object>> groups = new LinkedHashMap<>();

	private String modelConfig;

	private String kerasVersion = "2.4.0";

	private int layerNameChunks = 1;

	TinyKerasFile config(String json) {
		this.modelConfig = json;
		return this;
	}

	TinyKerasFile kerasVersion(String version) {
		this.kerasVersion = version;
		return this;
	}

	/** Splits {@code layer_names} into this many attributes, as Keras does past 64 KB. */
	TinyKerasFile splitLayerNames(int chunks) {
		this.layerNameChunks = chunks;
		return this;
	}

	/** A top-level layer group without weights. */
	TinyKerasFile group(String topLevelLayer) {
		groups.computeIfAbsent(topLevelLayer, k -> new LinkedHashMap<>());
		return this;
	}

	TinyKerasFile weight(String topLevelLayer, String weightName, float[] value) {
		groups.computeIfAbsent(topLevelLayer, k -> new LinkedHashMap<>()).put(weightName, value);
		return this;
	}

	TinyKerasFile weight(String topLevelLayer, String weightName, float[][] value) {
		groups.computeIfAbsent(topLevelLayer, k -> new LinkedHashMap<>()).put(weightName, value);
		return this;
	}

	Path write(Path file) {
		try (WritableHdfFile h5 = HdfFile.write(file)) {
			if (modelConfig != null) {
				h5.putAttribute("model_config", modelConfig);
			}
			h5.putAttribute("keras_version", kerasVersion);
			h5.putAttribute("backend", "tensorflow");
			WritableGroup mw = h5.putGroup("model_weights");
			List<String> names = new ArrayList<>(groups.keySet());
			if (names.isEmpty()) {
				// jHDF cannot write an empty array attribute; a missing one reads the
				// same
			}
			else if (layerNameChunks <= 1) {
				mw.putAttribute("layer_names", names.toArray(String[]::new));
			}
			else {
				int per = (names.size() + layerNameChunks - 1) / layerNameChunks;
				for (int c = 0; c < layerNameChunks; c++) {
					List<String> chunk = names.subList(Math.min(c * per, names.size()),
							Math.min((c + 1) * per, names.size()));
					mw.putAttribute("layer_names" + c, chunk.toArray(String[]::new));
				}
			}
			for (var g : groups.entrySet()) {
				WritableGroup group = mw.putGroup(g.getKey());
				if (!g.getValue().isEmpty()) {
					group.putAttribute("weight_names", g.getValue().keySet().toArray(String[]::new));
				}
				for (var w : g.getValue().entrySet()) {
					String[] path = w.getKey().split("/");
					WritableGroup parent = group;
					for (int i = 0; i < path.length - 1; i++) {
						parent = parent.getChild(path[i]) instanceof WritableGroup existing ? existing
								: parent.putGroup(path[i]);
					}
					parent.putDataset(path[path.length - 1], w.getValue());
				}
			}
		}
		return file;
	}

}
