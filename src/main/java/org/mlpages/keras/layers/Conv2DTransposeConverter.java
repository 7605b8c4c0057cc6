package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.Activations;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.mlpages.keras.Weight;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Conv2DTranspose as TF's Conv2DBackpropInput. The Keras kernel
 * {@code [kh, kw, filters, in]} is that op's filter layout. Output size as Keras'
 * deconv_output_length without output_padding: {@code in * stride} for 'same',
 * {@code in * stride + max(kernel - stride, 0)} for 'valid'. Dilation and output_padding
 * are refused rather than guessed.
 */
public final class Conv2DTransposeConverter implements LayerConverter {

	@Override
	public Set<String> kerasClasses() {
		return Set.of("Conv2DTranspose", "Convolution2DTranspose");
	}

	@Override
	public void validate(KerasLayer layer) {
		ConvOptions opts = ConvOptions.of(layer);
		if (opts.dilated()) {
			throw layer.unsupported("dilation_rate other than 1");
		}
		if (layer.has("output_padding")) {
			throw layer.unsupported("output_padding " + layer.config().get("output_padding"));
		}
		Activations.of(layer);
	}

	@Override
	public List<String> keras3Variables(KerasLayer layer) {
		return layer.bool("use_bias", true) ? List.of("kernel", "bias") : List.of("kernel");
	}

	@Override
	public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs) {
		validate(layer);
		ConvOptions opts = ConvOptions.of(layer);
		Operand<TFloat32> x = LayerConverter.single(layer, inputs);
		Weight kernel = weights.require("kernel");
		if (kernel.rank() != 4) {
			throw layer.malformed("kernel is not 4-dimensional: " + kernel);
		}
		long h = x.shape().size(1);
		long w = x.shape().size(2);
		if (x.shape().numDimensions() != 4 || h < 0 || w < 0) {
			throw layer.unsupported("an input of shape " + x.shape() + " (needs a known height and width)");
		}
		boolean same = "SAME".equals(opts.padding());
		int sh = opts.strides().get(1).intValue();
		int sw = opts.strides().get(2).intValue();
		int outH = (int) (same ? h * sh : h * sh + Math.max(kernel.dim(0) - sh, 0));
		int outW = (int) (same ? w * sw : w * sw + Math.max(kernel.dim(1) - sw, 0));
		Operand<TInt32> batch = tf.slice(tf.shape(x), tf.constant(new int[] { 0 }), tf.constant(new int[] { 1 }));
		Operand<TInt32> outShape = tf.concat(List.of(batch, tf.constant(new int[] { outH, outW, (int) kernel.dim(2) })),
				tf.constant(0));
		Operand<TFloat32> y = tf.nn.conv2dBackpropInput(outShape, kernel.constant(tf), x, opts.strides(),
				opts.padding());
		// the dynamic output shape hides the static one; restore it for the layers that
		// follow
		y = tf.ensureShape(y, org.tensorflow.ndarray.Shape.of(-1, outH, outW, kernel.dim(2)));
		if (layer.bool("use_bias", true)) {
			y = tf.nn.biasAdd(y, weights.requireVector("bias", kernel.dim(2)).constant(tf));
		}
		return Activations.apply(tf, layer, y);
	}

}
