package org.mlpages.keras.layers;

import java.util.List;
import java.util.Arrays;
import org.mlpages.keras.KerasLayer;
import tools.jackson.databind.JsonNode;

/** Helpers for options that are lists of integers or numbers, and for axis options. */
final class ShapeOptions {

	private ShapeOptions() {
	}

	static long[] longs(KerasLayer layer, String key) {
		JsonNode v = layer.config().get(key);
		if (v == null || !v.isArray()) {
			throw layer.malformed(key + " is not a list: " + v);
		}
		long[] out = new long[v.size()];
		for (int i = 0; i < out.length; i++) {
			if (!v.get(i).isIntegralNumber()) {
				throw layer.malformed(key + " is not a list of integers: " + v);
			}
			out[i] = v.get(i).longValue();
		}
		return out;
	}

	/**
	 * A number or a list of numbers (Keras 3 allows per-channel lists in Rescaling,
	 * Normalization).
	 */
	static float[] floats(KerasLayer layer, String key, float fallback) {
		JsonNode v = layer.config().get(key);
		if (v == null || v.isNull()) {
			return new float[] { fallback };
		}
		if (v.isObject() && "__numpy__".equals(v.path("class_name").asString(""))) {
			// Keras 3 writes a numpy array given to a layer as {"class_name":
			// "__numpy__", "config": {"value": [...], "dtype": ...}}
			v = v.path("config").path("value");
		}
		if (v.isNumber()) {
			return new float[] { v.floatValue() };
		}
		if (v.isArray() && !v.isEmpty()) {
			float[] out = new float[v.size()];
			for (int i = 0; i < out.length; i++) {
				if (!v.get(i).isNumber()) {
					throw layer.unsupported(key + " " + v + " (a number or a flat list of numbers is supported)");
				}
				out[i] = v.get(i).floatValue();
			}
			return out;
		}
		throw layer.unsupported(key + " " + v + " (a number or a flat list of numbers is supported)");
	}

	/**
	 * An {@code axis} option (int, list of ints, or null = {@code nullMeans}) as sorted
	 * non-negative axes of a tensor of the given rank; the batch axis is refused.
	 */
	static int[] axes(KerasLayer layer, int rank, int[] nullMeans) {
		JsonNode v = layer.config().get("axis");
		int[] raw;
		if (v == null || v.isNull()) {
			raw = nullMeans;
		}
		else if (v.isIntegralNumber()) {
			raw = new int[] { v.intValue() };
		}
		else if (v.isArray()) {
			raw = new int[v.size()];
			for (int i = 0; i < raw.length; i++) {
				if (!v.get(i).isIntegralNumber()) {
					throw layer.malformed("axis is malformed: " + v);
				}
				raw[i] = v.get(i).intValue();
			}
		}
		else {
			throw layer.malformed("axis is malformed: " + v);
		}
		int[] out = new int[raw.length];
		for (int i = 0; i < raw.length; i++) {
			int a = raw[i] < 0 ? raw[i] + rank : raw[i];
			if (a <= 0 || a >= rank) {
				throw layer.unsupported("axis " + v + " of a rank-" + rank + " input");
			}
			out[i] = a;
		}
		Arrays.sort(out);
		return out;
	}

	/**
	 * The trainable variables of a normalisation layer, as Keras 3 creates them:
	 * {@code gamma} unless {@code scale} is off, then {@code beta} unless {@code center}
	 * is.
	 */
	static List<String> gammaBeta(KerasLayer layer) {
		List<String> names = new java.util.ArrayList<>();
		if (layer.bool("scale", true)) {
			names.add("gamma");
		}
		if (layer.bool("center", true)) {
			names.add("beta");
		}
		return names;
	}

	/** A target {@code height} and {@code width}, both required and positive. */
	static void requirePositiveSize(KerasLayer layer) {
		if (layer.integer("height", 0) <= 0 || layer.integer("width", 0) <= 0) {
			throw layer.malformed("height and width must be positive");
		}
	}

}
