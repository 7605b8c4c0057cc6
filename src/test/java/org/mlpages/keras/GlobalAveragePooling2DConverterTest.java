package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlpages.keras.ConverterHarness.input;
import static org.mlpages.keras.ConverterHarness.layer;
import static org.mlpages.keras.ConverterHarness.run;
import static org.mlpages.keras.ConverterHarness.shape;

import org.junit.jupiter.api.Test;
import org.mlpages.keras.layers.GlobalAveragePooling2DConverter;

class GlobalAveragePooling2DConverterTest {

	private final GlobalAveragePooling2DConverter converter = new GlobalAveragePooling2DConverter();

	// 2x2 pixels, channels (1, 10), (2, 20), (3, 30), (4, 40)
	private static final ConverterHarness.Input X = input(shape(1, 2, 2, 2), 1, 10, 2, 20, 3, 30, 4, 40);

	@Test
	void averagesEachChannelAndDropsSpatialAxes() {
		var out = run(converter, layer("GlobalAveragePooling2D", "{\"data_format\":\"channels_last\"}"),
				LayerWeights.none("p"), X);
		assertThat(out.shape()).containsExactly(1, 2);
		assertThat(out.values()).containsExactly(2.5f, 25);
	}

	@Test
	void keepdims() {
		var out = run(converter, layer("GlobalAveragePooling2D", "{\"keepdims\":true}"), LayerWeights.none("p"), X);
		assertThat(out.shape()).containsExactly(1, 1, 1, 2);
	}

	@Test
	void channelsFirstIsUnsupported() {
		assertThatThrownBy(
				() -> converter.validate(layer("GlobalAveragePooling2D", "{\"data_format\":\"channels_first\"}")))
			.isInstanceOf(UnsupportedLayerException.class);
	}

}
