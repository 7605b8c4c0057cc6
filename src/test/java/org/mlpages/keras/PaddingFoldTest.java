package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlpages.keras.ConverterHarness.layer;
import static org.mlpages.keras.ConverterHarness.weight;
import static org.mlpages.keras.ConverterHarness.weights;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlpages.keras.layers.Conv2DConverter;
import org.mlpages.keras.layers.DepthwiseConv2DConverter;
import org.mlpages.keras.layers.ZeroPadding2DConverter;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A ZeroPadding2D followed by a 'valid' convolution, as Keras's MobileNets write every
 * stride-2 step: folded into the convolution (SAME, reading the unpadded tensor) where
 * the zeros are where SAME puts them, kept as two steps where they are not; the values
 * are a plain loop's either way.
 */
class PaddingFoldTest {

	private static final String THREE_BY_THREE_STRIDE_TWO = "{\"kernel_size\":3,\"strides\":2,\"padding\":\"valid\",\"use_bias\":false}";

	@Test
	void mobileNetsPaddingBeforeAStrideTwoDepthwiseConvolutionIsFolded() {
		Convolved out = padThenConvolve(new DepthwiseConv2DConverter(), "DepthwiseConv2D", "depthwise_kernel", 4,
				"[[0,1],[0,1]]");
		assertThat(out.reads()).isEqualTo("Placeholder");
		assertThat(out.padding()).isEqualTo("SAME");
		assertThat(out.values()).containsExactly(54, 45, 72, 54);
		assertThat(out.values()).containsExactly(sumsOfWindows(4, 0, 1, 0, 1));
	}

	@Test
	void theSameForAConv2D() {
		Convolved out = padThenConvolve(new Conv2DConverter(), "Conv2D", "kernel", 4, "[[0,1],[0,1]]");
		assertThat(out.reads()).isEqualTo("Placeholder");
		assertThat(out.values()).containsExactly(sumsOfWindows(4, 0, 1, 0, 1));
	}

	@Test
	void onAnOddSizeSamePadsBothSidesAndSoDoesMobileNet() {
		Convolved out = padThenConvolve(new DepthwiseConv2DConverter(), "DepthwiseConv2D", "depthwise_kernel", 5,
				"[[1,1],[1,1]]");
		assertThat(out.reads()).isEqualTo("Placeholder");
		assertThat(out.values()).hasSize(9).containsExactly(sumsOfWindows(5, 1, 1, 1, 1));
	}

	@Test
	void zerosWhereSameWouldNotPutThemStayAPaddingStep() {
		for (String padding : List.of("[[1,0],[1,0]]", "[[0,1],[1,0]]", "[[0,2],[0,2]]")) {
			Convolved out = padThenConvolve(new DepthwiseConv2DConverter(), "DepthwiseConv2D", "depthwise_kernel", 4,
					padding);
			assertThat(out.reads()).as(padding).startsWith("Pad");
			assertThat(out.padding()).as(padding).isEqualTo("VALID");
		}
		Convolved topLeft = padThenConvolve(new DepthwiseConv2DConverter(), "DepthwiseConv2D", "depthwise_kernel", 4,
				"[[1,0],[1,0]]");
		assertThat(topLeft.values()).containsExactly(14, 30, 57, 99);
		assertThat(topLeft.values()).containsExactly(sumsOfWindows(4, 1, 0, 1, 0));
		// on an odd size, MobileNet's even-size padding is not SAME's
		Convolved odd = padThenConvolve(new DepthwiseConv2DConverter(), "DepthwiseConv2D", "depthwise_kernel", 5,
				"[[0,1],[0,1]]");
		assertThat(odd.reads()).startsWith("Pad");
		assertThat(odd.values()).containsExactly(sumsOfWindows(5, 0, 1, 0, 1));
	}

	record Convolved(String reads, String padding, float[] values) {
	}

	/**
	 * An image {@code size x size} of 1, 2, 3 ... through ZeroPadding2D and a 3x3
	 * stride-2 convolution of ones.
	 */
	private static Convolved padThenConvolve(LayerConverter convolution, String kind, String kernelName, int size,
			String padding) {
		TestSupport.loadNatives();
		float[] image = new float[size * size];
		for (int i = 0; i < image.length; i++) {
			image[i] = i + 1;
		}
		float[] ones = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, size, size, 1)));
			KerasLayer pad = layer("ZeroPadding2D", "{\"padding\":" + padding + "}");
			Operand<TFloat32> padded = new ZeroPadding2DConverter().convert(tf, pad, LayerWeights.none("pad"),
					List.of(x));
			KerasLayer conv = layer(kind, THREE_BY_THREE_STRIDE_TWO);
			convolution.validate(conv);
			Operand<TFloat32> y = convolution.convert(tf, conv,
					weights(weight(kernelName, new long[] { 3, 3, 1, 1 }, ones)), List.of(padded));
			GraphOperation op = (GraphOperation) y.op();
			try (TFloat32 fed = TFloat32.tensorOf(Shape.of(1, size, size, 1), DataBuffers.of(image, true, false));
					Result result = s.runner().feed(x, fed).fetch(tf.identity(y)).run()) {
				TFloat32 out = (TFloat32) result.get(0);
				float[] values = new float[(int) out.shape().size()];
				out.copyTo(DataBuffers.of(values, false, false));
				return new Convolved(op.input(0).op().type(), op.attributes().getAttrString("padding"), values);
			}
		}
	}

	/** What the padded image's 3x3 windows at stride 2 sum to, by a plain loop. */
	private static float[] sumsOfWindows(int size, int top, int bottom, int left, int right) {
		int height = size + top + bottom;
		int width = size + left + right;
		int rows = (height - 3) / 2 + 1;
		int columns = (width - 3) / 2 + 1;
		float[] out = new float[rows * columns];
		for (int r = 0; r < rows; r++) {
			for (int c = 0; c < columns; c++) {
				float sum = 0;
				for (int i = 0; i < 3; i++) {
					for (int j = 0; j < 3; j++) {
						int y = 2 * r + i - top;
						int x = 2 * c + j - left;
						if (y >= 0 && y < size && x >= 0 && x < size) {
							sum += y * size + x + 1;
						}
					}
				}
				out[r * columns + c] = sum;
			}
		}
		return out;
	}

}
