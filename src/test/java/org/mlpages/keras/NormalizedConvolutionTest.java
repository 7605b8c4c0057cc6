package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlpages.keras.ConverterHarness.input;
import static org.mlpages.keras.ConverterHarness.layer;
import static org.mlpages.keras.ConverterHarness.shape;
import static org.mlpages.keras.ConverterHarness.weight;
import static org.mlpages.keras.ConverterHarness.weights;

import org.junit.jupiter.api.Test;
import org.mlpages.keras.ConverterHarness.Chained;
import org.mlpages.keras.ConverterHarness.Input;
import org.mlpages.keras.ConverterHarness.Step;
import org.mlpages.keras.layers.BatchNormalizationConverter;
import org.mlpages.keras.layers.Conv2DConverter;
import org.mlpages.keras.layers.DepthwiseConv2DConverter;

/**
 * A BatchNormalization right after a convolution, as MobileNets write every one: made
 * part of the convolution (its kernel scaled, its offset the bias) where nothing else
 * reads the convolution's output; the values are the same as two steps', worked out by
 * hand.
 */
class NormalizedConvolutionTest {

	/** One pixel, two channels: 1 and 10. */
	private static final Input PIXEL = input(shape(1, 1, 1, 2), 1, 10);

	/** Two channels: x * 2 + 1 and x * 0.5 - 3 (epsilon 0: the variance is the scale). */
	private static final Step NORMALIZATION = new Step(new BatchNormalizationConverter(),
			layer("BatchNormalization", "{\"epsilon\":0,\"center\":true,\"scale\":true}"),
			weights(weight("gamma", shape(2), 2, 0.5f), weight("beta", shape(2), 1, -3),
					weight("moving_mean", shape(2), 0, 0), weight("moving_variance", shape(2), 1, 1)));

	@Test
	void aConvolutionWithoutBiasTakesTheNormalisation() {
		// 1x1 kernel [[1, 2], [3, 4]]: out0 = 1*1 + 10*3 = 31, out1 = 1*2 + 10*4 = 42
		Chained out = ConverterHarness.chain(PIXEL, conv("{\"kernel_size\":1,\"use_bias\":false}",
				weights(weight("kernel", shape(1, 1, 2, 2), 1, 2, 3, 4))), NORMALIZATION);
		assertThat(out.path()).containsExactly("BiasAdd", "Conv2D", "Placeholder");
		assertThat(out.output().values()).containsExactly(31 * 2 + 1, 42 * 0.5f - 3);
	}

	@Test
	void aConvolutionsOwnBiasIsNormalisedToo() {
		Chained out = ConverterHarness.chain(PIXEL,
				conv("{\"kernel_size\":1,\"use_bias\":true}",
						weights(weight("kernel", shape(1, 1, 2, 2), 1, 2, 3, 4), weight("bias", shape(2), 100, -100))),
				NORMALIZATION);
		assertThat(out.path()).containsExactly("BiasAdd", "Conv2D", "Placeholder");
		assertThat(out.output().values()).containsExactly(131 * 2 + 1, -58 * 0.5f - 3);
	}

	@Test
	void aDepthwiseConvolutionsChannelsAreScaledInTheirOrder() {
		// depth multiplier 2, kernel [[1, 2], [3, 4]]: outputs x0*1, x0*2, x1*3, x1*4 =
		// 1, 2, 30, 40
		Step depthwise = new Step(new DepthwiseConv2DConverter(),
				layer("DepthwiseConv2D", "{\"kernel_size\":1,\"depth_multiplier\":2,\"use_bias\":false}"),
				weights(weight("depthwise_kernel", shape(1, 1, 2, 2), 1, 2, 3, 4)));
		Step fourChannels = new Step(new BatchNormalizationConverter(),
				layer("BatchNormalization", "{\"epsilon\":0,\"center\":true,\"scale\":true}"),
				weights(weight("gamma", shape(4), 1, 2, 3, 4), weight("beta", shape(4), 0, 0, 0, 1),
						weight("moving_mean", shape(4), 0, 0, 0, 0), weight("moving_variance", shape(4), 1, 1, 1, 1)));
		Chained out = ConverterHarness.chain(PIXEL, depthwise, fourChannels);
		assertThat(out.path()).containsExactly("BiasAdd", "DepthwiseConv2dNative", "Placeholder");
		assertThat(out.output().values()).containsExactly(1, 4, 90, 161);
	}

	@Test
	void anActivationBetweenThemKeepsTwoSteps() {
		Chained out = ConverterHarness.chain(PIXEL,
				conv("{\"kernel_size\":1,\"use_bias\":false,\"activation\":\"relu\"}",
						weights(weight("kernel", shape(1, 1, 2, 2), 1, 2, 3, -4))),
				NORMALIZATION);
		// relu(31) = 31, relu(-38) = 0
		assertThat(out.path()).containsExactly("Add", "Mul", "Relu", "Conv2D", "Placeholder");
		assertThat(out.output().values()).containsExactly(31 * 2 + 1, -3);
	}

	private static Step conv(String config, LayerWeights weights) {
		return new Step(new Conv2DConverter(), layer("Conv2D", config), weights);
	}

}
