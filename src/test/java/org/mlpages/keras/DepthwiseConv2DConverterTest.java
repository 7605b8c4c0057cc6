package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlpages.keras.ConverterHarness.input;
import static org.mlpages.keras.ConverterHarness.layer;
import static org.mlpages.keras.ConverterHarness.run;
import static org.mlpages.keras.ConverterHarness.shape;
import static org.mlpages.keras.ConverterHarness.weight;
import static org.mlpages.keras.ConverterHarness.weights;

import org.junit.jupiter.api.Test;
import org.mlpages.keras.layers.DepthwiseConv2DConverter;

class DepthwiseConv2DConverterTest {

	private final DepthwiseConv2DConverter converter = new DepthwiseConv2DConverter();

	@Test
	void depthMultiplierTwoOrdersOutputsByInputChannelThenMultiplier() {
		// kernel [1, 1, in=2, m=2] = [[1, 2], [3, 4]]: out[c*2+m] = x[c] * k[c][m]
		var out = run(converter,
				layer("DepthwiseConv2D", "{\"kernel_size\":[1,1],\"depth_multiplier\":2,\"use_bias\":false}"),
				weights(weight("depthwise_kernel", shape(1, 1, 2, 2), 1, 2, 3, 4)), input(shape(1, 1, 1, 2), 1, 10));
		assertThat(out.shape()).containsExactly(1, 1, 1, 4);
		assertThat(out.values()).containsExactly(1, 2, 30, 40);
	}

	@Test
	void channelsAreConvolvedSeparatelyWithSamePadding() {
		// two channels of a 2x2 image, 3x3 kernels: ones for channel 0, centre-only for
		// channel 1
		float[] k = new float[3 * 3 * 2];
		for (int i = 0; i < 9; i++) {
			k[i * 2] = 1;
		}
		k[4 * 2 + 1] = 1;
		var out = run(converter,
				layer("DepthwiseConv2D", "{\"kernel_size\":[3,3],\"padding\":\"same\",\"use_bias\":true}"),
				weights(weight("depthwise_kernel", shape(3, 3, 2, 1), k), weight("bias", shape(2), 0.5f, -1)),
				input(shape(1, 2, 2, 2), 1, 10, 2, 20, 3, 30, 4, 40));
		assertThat(out.shape()).containsExactly(1, 2, 2, 2);
		// channel 0: every window sees the whole 2x2 image (sum 10) + 0.5; channel 1:
		// identity - 1
		assertThat(out.values()).containsExactly(10.5f, 9, 10.5f, 19, 10.5f, 29, 10.5f, 39);
	}

	@Test
	void strideTwoSamePaddingIsAsymmetric() {
		float[] ones = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
		var out = run(converter,
				layer("DepthwiseConv2D", "{\"kernel_size\":3,\"strides\":2,\"padding\":\"same\",\"use_bias\":false}"),
				weights(weight("depthwise_kernel", shape(3, 3, 1, 1), ones)),
				input(shape(1, 4, 4, 1), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16));
		assertThat(out.values()).containsExactly(54, 45, 72, 54);
	}

	@Test
	void kernelMustMatchDepthMultiplier() {
		assertThatThrownBy(() -> run(converter,
				layer("DepthwiseConv2D", "{\"kernel_size\":1,\"depth_multiplier\":3,\"use_bias\":false}"),
				weights(weight("depthwise_kernel", shape(1, 1, 1, 2), 1, 2)), input(shape(1, 1, 1, 1), 1)))
			.isInstanceOf(KerasImportException.class)
			.hasMessageContaining("depth_multiplier");
	}

}
