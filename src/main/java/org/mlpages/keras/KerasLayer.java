package org.mlpages.keras;

import tools.jackson.databind.JsonNode;

/**
 * One layer entry of a Keras model config: its name, class and {@code config} object,
 * with lenient typed accessors that turn malformed values into
 * {@link KerasImportException}s naming the layer.
 *
 * @param kerasMajor 2 for Keras 2.x / tf.keras / tf_keras, 3 for Keras 3: a few functions
 * kept their name but changed their formula between the two (hard_sigmoid), so converters
 * ask
 */
public record KerasLayer(String name, String className, JsonNode config, int kerasMajor) {

	public KerasLayer(String name, String className, JsonNode config) {
		this(name, className, config, 2);
	}

	public KerasImportException malformed(String what) {
		return new KerasImportException("Layer '" + name + "' (" + className + "): " + what);
	}

	public UnsupportedLayerException unsupported(String detail) {
		return new UnsupportedLayerException(name, className, detail);
	}

	private JsonNode value(String key) {
		JsonNode v = config == null ? null : config.get(key);
		return v == null || v.isNull() ? null : v;
	}

	public boolean has(String key) {
		return value(key) != null;
	}

	public String string(String key, String fallback) {
		JsonNode v = value(key);
		if (v == null) {
			return fallback;
		}
		if (!v.isString()) {
			throw malformed(key + " is not a string: " + v);
		}
		return v.stringValue();
	}

	public boolean bool(String key, boolean fallback) {
		JsonNode v = value(key);
		if (v == null) {
			return fallback;
		}
		if (!v.isBoolean()) {
			throw malformed(key + " is not a boolean: " + v);
		}
		return v.booleanValue();
	}

	public double number(String key, double fallback) {
		JsonNode v = value(key);
		if (v == null) {
			return fallback;
		}
		if (!v.isNumber()) {
			throw malformed(key + " is not a number: " + v);
		}
		return v.doubleValue();
	}

	/** A number that may be absent or null (e.g. ReLU's max_value). */
	public Double nullableNumber(String key) {
		JsonNode v = value(key);
		if (v == null) {
			return null;
		}
		if (!v.isNumber()) {
			throw malformed(key + " is not a number: " + v);
		}
		return v.doubleValue();
	}

	public int integer(String key, int fallback) {
		JsonNode v = value(key);
		if (v == null) {
			return fallback;
		}
		if (!v.isIntegralNumber() && !(v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()))) {
			throw malformed(key + " is not an integer: " + v);
		}
		return v.intValue();
	}

	/**
	 * Keras accepts an int or a list of ints for sizes like strides; an int means the
	 * same in each dimension.
	 */
	public int[] ints(String key, int dims, int fallback) {
		JsonNode v = value(key);
		int[] out = new int[dims];
		if (v == null) {
			java.util.Arrays.fill(out, fallback);
		}
		else if (v.isNumber()) {
			java.util.Arrays.fill(out, v.intValue());
		}
		else if (v.isArray() && v.size() == dims) {
			for (int i = 0; i < dims; i++) {
				if (!v.get(i).isNumber()) {
					throw malformed(key + " is not a list of integers: " + v);
				}
				out[i] = v.get(i).intValue();
			}
		}
		else {
			throw malformed(key + " is not an integer or a list of " + dims + ": " + v);
		}
		return out;
	}

	/**
	 * Fails unless the layer works on channels-last tensors, the only layout the
	 * converters build.
	 */
	public void requireChannelsLast() {
		String format = string("data_format", "channels_last");
		if (!"channels_last".equals(format)) {
			throw unsupported("data_format " + format + " (only channels_last is supported)");
		}
	}
}
