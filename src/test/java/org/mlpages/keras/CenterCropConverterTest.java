package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlpages.keras.ConverterHarness.input;
import static org.mlpages.keras.ConverterHarness.layer;
import static org.mlpages.keras.ConverterHarness.run;
import static org.mlpages.keras.ConverterHarness.shape;

import org.junit.jupiter.api.Test;
import org.mlpages.keras.layers.CenterCropConverter;

class CenterCropConverterTest {

	private final CenterCropConverter converter = new CenterCropConverter();

	/** A 4x5 picture whose values are 10 x row + column. */
	private static final ConverterHarness.Input X = input(shape(1, 4, 5, 1), 0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 20, 21,
			22, 23, 24, 30, 31, 32, 33, 34);

	@Test
	void keepsTheCentredWindowWithTheOddPixelAtTheBottomRight() {
		var out = run(converter, layer("CenterCrop", "{\"height\":2,\"width\":2}"), LayerWeights.none("c"), X);
		assertThat(out.shape()).containsExactly(1, 2, 2, 1);
		// (4 - 2) / 2 = 1 row off the top, (5 - 2) / 2 = 1 column off the left
		assertThat(out.values()).containsExactly(11, 12, 21, 22);
	}

	@Test
	void aTargetLargerThanTheInputResizesTheLargestWindowOfItsShape() {
		// 8x4 is twice as high as wide: the 4x2 window at rows 0-3, columns 1-2, doubled
		// in height by bilinear resizing with half-pixel centres
		var out = run(converter, layer("CenterCrop", "{\"height\":8,\"width\":4}"), LayerWeights.none("c"), X);
		assertThat(out.shape()).containsExactly(1, 8, 4, 1);
		float[] firstColumn = new float[8];
		for (int r = 0; r < 8; r++) {
			firstColumn[r] = out.values()[r * 4];
		}
		// source rows sampled at (r + 0.5) / 2 - 0.5, clamped: 0, 0.25, 0.75, ... 3
		assertThat(firstColumn).containsExactly(new float[] { 1, 3.5f, 8.5f, 13.5f, 18.5f, 23.5f, 28.5f, 31 },
				org.assertj.core.data.Offset.offset(1e-4f));
	}

	@Test
	void refusesChannelsFirstAndEmptySizes() {
		assertThatThrownBy(() -> converter
			.validate(layer("CenterCrop", "{\"height\":2,\"width\":2,\"data_format\":\"channels_first\"}")))
			.isInstanceOf(UnsupportedLayerException.class)
			.hasMessageContaining("channels_first");
		assertThatThrownBy(() -> converter.validate(layer("CenterCrop", "{\"height\":0,\"width\":2}")))
			.isInstanceOf(KerasImportException.class)
			.hasMessageContaining("positive");
	}

}
