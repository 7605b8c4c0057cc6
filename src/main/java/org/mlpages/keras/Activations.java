package org.mlpages.keras;

import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import tools.jackson.databind.JsonNode;

/**
 * Keras activation functions by their config name, with the formulas of the Keras version
 * that wrote the file. Where Keras 2 and Keras 3 differ under the same name
 * (hard_sigmoid, hard_silu), the layer's {@link KerasLayer#kerasMajor()} decides.
 */
public final class Activations {

	private static final Set<String> SUPPORTED = Set.of("linear", "relu", "relu6", "softmax", "log_softmax", "sigmoid",
			"hard_sigmoid", "tanh", "elu", "selu", "softplus", "softsign", "swish", "silu", "hard_silu", "hard_swish",
			"gelu", "exponential", "leaky_relu", "mish");

	/** SELU's constants, as in Keras (both versions) and the SELU paper. */
	private static final float SELU_ALPHA = 1.6732632423543772848170429916717f;

	private static final float SELU_SCALE = 1.0507009873554804934193349852946f;

	private Activations() {
	}

	public static boolean isSupported(String name) {
		return name == null || SUPPORTED.contains(name);
	}

	public static Set<String> supported() {
		return new TreeSet<>(SUPPORTED);
	}

	/**
	 * Reads a layer's {@code activation} option and fails if it is not one {@link #apply}
	 * knows. Keras 2 and Keras 3 write a plain name; tf.keras 2.13+ may write
	 * {@code {"class_name": "function", "config": "relu", ...}} instead, whose
	 * {@code config} is the name.
	 */
	public static String of(KerasLayer layer) {
		JsonNode v = layer.config() == null ? null : layer.config().get("activation");
		String name;
		if (v == null || v.isNull()) {
			name = "linear";
		}
		else if (v.isString()) {
			name = v.stringValue();
		}
		else if (v.isObject() && v.path("config").isString()) {
			name = v.path("config").stringValue();
		}
		else {
			throw layer.unsupported("activation " + v + " (supported: " + supported() + ")");
		}
		if (!isSupported(name)) {
			throw layer.unsupported("activation '" + name + "' (supported: " + supported() + ")");
		}
		return name;
	}

	/** Applies the layer's own activation option. */
	public static Operand<TFloat32> apply(Ops tf, KerasLayer layer, Operand<TFloat32> x) {
		return apply(tf, of(layer), layer.kerasMajor(), x);
	}

	/** Keras 2 semantics; kept for callers that have no layer at hand. */
	public static Operand<TFloat32> apply(Ops tf, String name, Operand<TFloat32> x) {
		return apply(tf, name, 2, x);
	}

	public static Operand<TFloat32> apply(Ops tf, String name, int kerasMajor, Operand<TFloat32> x) {
		if (name == null) {
			return x;
		}
		return switch (name) {
			case "linear" -> x;
			case "relu" -> tf.nn.relu(x);
			case "relu6" -> tf.nn.relu6(x);
			// Keras' softmax defaults to the last axis, which is what the TF op uses.
			case "softmax" -> tf.nn.softmax(x);
			case "log_softmax" -> tf.nn.logSoftmax(x);
			case "sigmoid" -> tf.math.sigmoid(x);
			case "hard_sigmoid" -> hardSigmoid(tf, kerasMajor, x);
			case "tanh" -> tf.math.tanh(x);
			case "elu" -> tf.nn.elu(x);
			case "selu" -> selu(tf, x);
			case "softplus" -> tf.math.softplus(x);
			case "softsign" -> tf.nn.softsign(x);
			case "swish", "silu" -> tf.math.mul(x, tf.math.sigmoid(x));
			// Keras 3 only: x * relu6(x + 3) / 6
			case "hard_silu", "hard_swish" -> tf.math.mul(x, hardSigmoid(tf, 3, x));
			case "gelu" -> gelu(tf, x, false);
			case "exponential" -> tf.math.exp(x);
			// Keras 3's leaky_relu function defaults to a slope of 0.2 (the layer's
			// default is 0.3)
			case "leaky_relu" -> tf.nn.leakyRelu(x, org.tensorflow.op.nn.LeakyRelu.alpha(0.2f));
			case "mish" -> tf.math.mul(x, tf.math.tanh(tf.math.softplus(x)));
			default -> throw new KerasImportException("Unsupported activation '" + name + "'");
		};
	}

	/**
	 * Keras 2 (standalone, tf.keras, tf_keras): {@code clip(0.2 x + 0.5, 0, 1)}; Keras 3:
	 * {@code relu6(x + 3) / 6}, i.e. {@code clip(x / 6 + 0.5, 0, 1)}. Same name,
	 * different function.
	 */
	static Operand<TFloat32> hardSigmoid(Ops tf, int kerasMajor, Operand<TFloat32> x) {
		float slope = kerasMajor >= 3 ? 1f / 6f : 0.2f;
		Operand<TFloat32> y = tf.math.add(tf.math.mul(x, tf.constant(slope)), tf.constant(0.5f));
		return tf.clipByValue(y, tf.constant(0f), tf.constant(1f));
	}

	static Operand<TFloat32> selu(Ops tf, Operand<TFloat32> x) {
		// scale * (x > 0 ? x : alpha * (exp(x) - 1)) = scale * (relu(x) + alpha *
		// min(exp(x) - 1, 0))
		Operand<TFloat32> neg = tf.math.minimum(tf.math.sub(tf.math.exp(x), tf.constant(1f)), tf.constant(0f));
		return tf.math.mul(tf.constant(SELU_SCALE),
				tf.math.add(tf.nn.relu(x), tf.math.mul(tf.constant(SELU_ALPHA), neg)));
	}

	/**
	 * GELU. Exact: {@code 0.5 x (1 + erf(x / sqrt 2))}, what the string "gelu" means in
	 * Keras 2 and 3; approximate:
	 * {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, GELU layers with
	 * {@code approximate: true} (Keras 3).
	 */
	public static Operand<TFloat32> gelu(Ops tf, Operand<TFloat32> x, boolean approximate) {
		Operand<TFloat32> inner;
		if (approximate) {
			Operand<TFloat32> cube = tf.math.mul(tf.math.mul(x, x), x);
			Operand<TFloat32> poly = tf.math.add(x, tf.math.mul(tf.constant(0.044715f), cube));
			inner = tf.math.tanh(tf.math.mul(tf.constant((float) Math.sqrt(2 / Math.PI)), poly));
		}
		else {
			inner = tf.math.erf(tf.math.mul(x, tf.constant((float) (1 / Math.sqrt(2)))));
		}
		return tf.math.mul(tf.math.mul(tf.constant(0.5f), x), tf.math.add(tf.constant(1f), inner));
	}

}
