package org.mlpages.keras;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The weights of one leaf layer, keyed by their short Keras name ({@code kernel},
 * {@code bias}, {@code gamma}, {@code moving_mean}, {@code depthwise_kernel} ...). Names
 * rather than positions, because Keras 2.4 stores a nested model's weights
 * trainable-first, so positions differ by version.
 */
public final class LayerWeights {

	private final String layerName;

	private final Map<String, Weight> byName;

	public LayerWeights(String layerName, Map<String, Weight> byName) {
		this.layerName = layerName;
		this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
	}

	public static LayerWeights none(String layerName) {
		return new LayerWeights(layerName, Map.of());
	}

	public String layerName() {
		return layerName;
	}

	public Map<String, Weight> all() {
		return byName;
	}

	public boolean isEmpty() {
		return byName.isEmpty();
	}

	public Optional<Weight> optional(String name) {
		return Optional.ofNullable(byName.get(name));
	}

	public Weight require(String name) {
		Weight w = byName.get(name);
		if (w == null) {
			throw new KerasImportException(
					"Layer '" + layerName + "' has no weight '" + name + "' (found " + byName.keySet() + ")");
		}
		return w;
	}

	/**
	 * A 1-D weight of the given length, such as a bias: checked here for a clearer error
	 * than TF's.
	 */
	public Weight requireVector(String name, long length) {
		Weight w = require(name);
		if (w.rank() != 1 || w.dim(0) != length) {
			throw new KerasImportException("Layer '" + layerName + "': " + name + " has shape "
					+ java.util.Arrays.toString(w.shape()) + ", expected [" + length + "]");
		}
		return w;
	}

}
