package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.mlpages.keras.ConverterHarness.input;
import static org.mlpages.keras.ConverterHarness.layer;
import static org.mlpages.keras.ConverterHarness.run;
import static org.mlpages.keras.ConverterHarness.shape;
import static org.mlpages.keras.ConverterHarness.weight;
import static org.mlpages.keras.ConverterHarness.weights;

import org.junit.jupiter.api.Test;
import org.mlpages.keras.layers.Conv2DConverter;

class Conv2DConverterTest {

	private final Conv2DConverter converter = new Conv2DConverter();

	/** 3x3 image 1..9, row-major. */
	private static final ConverterHarness.Input IMAGE_3X3 = input(shape(1, 3, 3, 1), 1, 2, 3, 4, 5, 6, 7, 8, 9);

	/** 4x4 image 1..16, row-major. */
	private static final ConverterHarness.Input IMAGE_4X4 = input(shape(1, 4, 4, 1), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
			12, 13, 14, 15, 16);

	@Test
	void validConvolutionWithKnownKernel() {
		// kernel [[1, 2], [3, 4]]: out(0,0) = 1*1 + 2*2 + 3*4 + 4*5 = 37, and so on
		var out = run(converter,
				layer("Conv2D", "{\"filters\":1,\"kernel_size\":[2,2],\"padding\":\"valid\",\"use_bias\":false}"),
				weights(weight("kernel", shape(2, 2, 1, 1), 1, 2, 3, 4)), IMAGE_3X3);
		assertThat(out.shape()).containsExactly(1, 2, 2, 1);
		assertThat(out.values()).containsExactly(37, 47, 67, 77);
	}

	@Test
	void biasAndActivation() {
		var out = run(converter, layer("Conv2D", "{\"kernel_size\":[2,2],\"activation\":\"relu\",\"use_bias\":true}"),
				weights(weight("kernel", shape(2, 2, 1, 1), 1, 2, 3, 4), weight("bias", shape(1), -50)), IMAGE_3X3);
		assertThat(out.values()).containsExactly(0, 0, 17, 27);
	}

	@Test
	void kernelIsHeightWidthInOut() {
		// 1x1 kernel, 2 in -> 2 out: out_o = sum_i x_i * k[i][o]
		var out = run(converter, layer("Conv2D", "{\"kernel_size\":[1,1],\"use_bias\":false}"),
				weights(weight("kernel", shape(1, 1, 2, 2), 1, 2, 3, 4)), input(shape(1, 1, 1, 2), 1, 10));
		assertThat(out.values()).containsExactly(31, 42);
	}

	@Test
	void samePaddingWithStrideTwoPadsBottomAndRightOnly() {
		// 4x4 input, 3x3 kernel of ones, stride 2: TF/Keras 'same' needs one row and one
		// column of padding and puts it after the image, so the first window starts at
		// (0,0) unpadded.
		var ones = weights(weight("kernel", shape(3, 3, 1, 1), 1, 1, 1, 1, 1, 1, 1, 1, 1));
		var out = run(converter,
				layer("Conv2D", "{\"kernel_size\":[3,3],\"strides\":[2,2],\"padding\":\"same\",\"use_bias\":false}"),
				ones, IMAGE_4X4);
		assertThat(out.shape()).containsExactly(1, 2, 2, 1);
		// (1+2+3+5+6+7+9+10+11), (3+4+7+8+11+12), (9+10+11+13+14+15), (11+12+15+16)
		assertThat(out.values()).containsExactly(54, 45, 72, 54);
	}

	@Test
	void validPaddingWithStrideTwoDropsTheRemainder() {
		var ones = weights(weight("kernel", shape(3, 3, 1, 1), 1, 1, 1, 1, 1, 1, 1, 1, 1));
		var out = run(converter,
				layer("Conv2D", "{\"kernel_size\":[3,3],\"strides\":2,\"padding\":\"valid\",\"use_bias\":false}"), ones,
				IMAGE_4X4);
		assertThat(out.shape()).containsExactly(1, 1, 1, 1);
		assertThat(out.values()[0]).isCloseTo(54f, within(1e-6f));
	}

	@Test
	void rejectsChannelsFirstAndGroups() {
		assertThatThrownBy(() -> converter.validate(layer("Conv2D", "{\"data_format\":\"channels_first\"}")))
			.isInstanceOf(UnsupportedLayerException.class)
			.hasMessageContaining("channels_first");
		assertThatThrownBy(() -> converter.validate(layer("Conv2D", "{\"groups\":2}")))
			.isInstanceOf(UnsupportedLayerException.class)
			.hasMessageContaining("groups");
		assertThatThrownBy(() -> converter.validate(layer("Conv2D", "{\"activation\":\"celu\"}")))
			.isInstanceOf(UnsupportedLayerException.class)
			.hasMessageContaining("celu");
	}

}
