package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import tools.jackson.databind.JsonNode;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * ZeroPadding2D: TF's Pad. A convolution right after it may read the tensor before the
 * padding instead ({@link ConvInput}), which leaves this step unused.
 */
public final class ZeroPadding2DConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("ZeroPadding2D");
	}

	@Override
	public void validate(KerasLayer layer) {
		layer.requireChannelsLast();
		padding(layer);
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		int[][] p = padding(layer);
		int[][] paddings = { { 0, 0 }, p[0], p[1], { 0, 0 } };
		return tf.pad(LayerConverter.single(layer, inputs), tf.constant(paddings), tf.constant(0f));
	}

	/**
	 * Keras accepts {@code n}, {@code (h, w)} (symmetric) or
	 * {@code ((top, bottom), (left, right))}.
	 * @return {{top, bottom}, {left, right}}
	 */
	static int[][] padding(KerasLayer layer) {
		return pairs(layer, "padding", 1);
	}

	/**
	 * {@code key} in any of the forms above, {@code fallback} on every side when absent.
	 */
	static int[][] pairs(KerasLayer layer, String key, int fallback) {
		JsonNode p = layer.config().get(key);
		if (p == null || p.isNull()) {
			return new int[][] { { fallback, fallback }, { fallback, fallback } };
		}
		if (p.isIntegralNumber()) {
			int n = p.intValue();
			return new int[][] { { n, n }, { n, n } };
		}
		if (p.isArray() && p.size() == 2) {
			int[][] out = new int[2][];
			for (int i = 0; i < 2; i++) {
				JsonNode d = p.get(i);
				if (d.isIntegralNumber()) {
					out[i] = new int[] { d.intValue(), d.intValue() };
				}
				else if (d.isArray() && d.size() == 2 && d.get(0).isIntegralNumber() && d.get(1).isIntegralNumber()) {
					out[i] = new int[] { d.get(0).intValue(), d.get(1).intValue() };
				}
				else {
					throw layer.malformed(key + " is malformed: " + p);
				}
			}
			return out;
		}
		throw layer.malformed(key + " is malformed: " + p);
	}

}
