package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.mlpages.keras.Weight;
import tools.jackson.databind.JsonNode;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Inference-mode batch normalisation,
 * {@code gamma * (x - mean) / sqrt(var + eps) + beta}, folded at import time into one
 * scale and one offset per channel (computed in double, like a careful reference): part
 * of the convolution before it where there is one ({@link NormalizedConvolution}), else a
 * multiply and an add.
 */
public final class BatchNormalizationConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("BatchNormalization");
	}

	@Override
	public void validate(KerasLayer layer) {
		axis(layer);
		if (layer.bool("renorm", false)) {
			throw layer.unsupported("renorm (batch renormalisation is not supported)");
		}
	}

	@Override
	public List<String> keras3Variables(KerasLayer layer) {
		List<String> names = new java.util.ArrayList<>(ShapeOptions.gammaBeta(layer));
		names.add("moving_mean");
		names.add("moving_variance");
		return names;
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		Operand<TFloat32> x = LayerConverter.single(layer, inputs);
		int axis = axis(layer);
		int rank = x.shape().numDimensions();
		if (rank > 0 && axis != -1 && axis != rank - 1) {
			throw layer.unsupported("normalisation axis " + axis + " of a rank-" + rank
					+ " input (only the last, channel axis is supported)");
		}
		float[][] folded = fold(layer, weights);
		Operand<TFloat32> convolved = NormalizedConvolution.of(tf, x, folded[0], folded[1]);
		if (convolved != null) {
			return convolved;
		}
		long channels = folded[0].length;
		Operand<TFloat32> scale = tf.constant(Shape.of(channels), DataBuffers.of(folded[0], true, false));
		Operand<TFloat32> offset = tf.constant(Shape.of(channels), DataBuffers.of(folded[1], true, false));
		return tf.math.add(tf.math.mul(x, scale), offset);
	}

	/**
	 * @return {scale, offset} per channel
	 */
	public static float[][] fold(KerasLayer layer, LayerWeights weights) {
		double epsilon = layer.number("epsilon", 1e-3);
		Weight mean = weights.require("moving_mean");
		Weight variance = weights.require("moving_variance");
		int n = mean.data().length;
		Weight gamma = layer.bool("scale", true) ? weights.require("gamma") : null;
		Weight beta = layer.bool("center", true) ? weights.require("beta") : null;
		for (Weight w : new Weight[] { variance, gamma, beta }) {
			if (w != null && w.data().length != n) {
				throw layer.malformed(w.name() + " has " + w.data().length + " values, moving_mean " + n);
			}
		}
		float[] scale = new float[n];
		float[] offset = new float[n];
		for (int c = 0; c < n; c++) {
			double s = (gamma == null ? 1.0 : gamma.data()[c]) / Math.sqrt(variance.data()[c] + epsilon);
			scale[c] = (float) s;
			offset[c] = (float) ((beta == null ? 0.0 : beta.data()[c]) - mean.data()[c] * s);
		}
		return new float[][] { scale, offset };
	}

	/**
	 * Keras 2 writes {@code axis: -1} or {@code 3}; tf.keras since 2.2 a list
	 * {@code [3]}.
	 */
	static int axis(KerasLayer layer) {
		JsonNode a = layer.config().get("axis");
		if (a == null || a.isNull()) {
			return -1;
		}
		if (a.isArray()) {
			if (a.size() != 1 || !a.get(0).isIntegralNumber()) {
				throw layer.unsupported("normalisation over axes " + a);
			}
			return a.get(0).intValue();
		}
		if (!a.isIntegralNumber()) {
			throw layer.malformed("axis is malformed: " + a);
		}
		return a.intValue();
	}

}
