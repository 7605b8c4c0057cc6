package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlpages.keras.ConverterHarness.input;
import static org.mlpages.keras.ConverterHarness.layer;
import static org.mlpages.keras.ConverterHarness.shape;
import static org.mlpages.keras.ConverterHarness.weight;
import static org.mlpages.keras.ConverterHarness.weights;

import java.util.List;
import org.mlpages.keras.ConverterHarness.Chained;
import org.mlpages.keras.ConverterHarness.Step;
import org.junit.jupiter.api.Test;
import org.mlpages.keras.layers.Conv2DConverter;
import org.mlpages.keras.layers.DepthwiseConv2DConverter;
import org.mlpages.keras.layers.ZeroPadding2DConverter;

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
		float[] image = new float[size * size];
		for (int i = 0; i < image.length; i++) {
			image[i] = i + 1;
		}
		float[] ones = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
		Chained out = ConverterHarness.chain(input(shape(1, size, size, 1), image),
				new Step(new ZeroPadding2DConverter(), layer("ZeroPadding2D", "{\"padding\":" + padding + "}"),
						LayerWeights.none("pad")),
				new Step(convolution, layer(kind, THREE_BY_THREE_STRIDE_TWO),
						weights(weight(kernelName, shape(3, 3, 1, 1), ones))));
		return new Convolved(out.path().get(1), out.padding(), out.output().values());
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
