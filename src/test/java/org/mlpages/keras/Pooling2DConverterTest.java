package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlpages.keras.ConverterHarness.input;
import static org.mlpages.keras.ConverterHarness.layer;
import static org.mlpages.keras.ConverterHarness.run;
import static org.mlpages.keras.ConverterHarness.shape;

import org.junit.jupiter.api.Test;
import org.mlpages.keras.layers.GlobalMaxPooling2DConverter;
import org.mlpages.keras.layers.Pooling2DConverter;

class Pooling2DConverterTest {

	private final Pooling2DConverter converter = new Pooling2DConverter();

	private static final ConverterHarness.Input X = input(shape(1, 3, 3, 1), 1, 2, 3, 4, 5, 6, 7, 8, 9);

	private static final LayerWeights NONE = LayerWeights.none("p");

	@Test
	void maxPoolingValidDropsTheRemainder() {
		var out = run(converter, layer("MaxPooling2D", "{\"pool_size\":[2,2],\"strides\":null,\"padding\":\"valid\"}"),
				NONE, X);
		assertThat(out.shape()).containsExactly(1, 1, 1, 1);
		assertThat(out.values()).containsExactly(5);
	}

	@Test
	void maxPoolingSameKeepsTheBorder() {
		var out = run(converter, layer("MaxPooling2D", "{\"pool_size\":2,\"padding\":\"same\"}"), NONE, X);
		assertThat(out.values()).containsExactly(5, 6, 8, 9);
	}

	@Test
	void averagePoolingSameCountsOnlyRealCells() {
		var out = run(converter, layer("AveragePooling2D", "{\"pool_size\":[2,2],\"padding\":\"same\"}"), NONE, X);
		// windows: {1,2,4,5}, {3,6}, {7,8}, {9}
		assertThat(out.values()).containsExactly(3, 4.5f, 7.5f, 9);
	}

	@Test
	void explicitStrides() {
		var out = run(converter, layer("AveragePooling2D", "{\"pool_size\":[2,2],\"strides\":[1,1]}"), NONE, X);
		assertThat(out.values()).containsExactly(3, 4, 6, 7);
	}

	@Test
	void globalMaxPooling() {
		var out = run(new GlobalMaxPooling2DConverter(), layer("GlobalMaxPooling2D", "{}"), NONE,
				input(shape(1, 2, 2, 2), 1, -1, 5, -5, 3, -3, 2, -2));
		assertThat(out.shape()).containsExactly(1, 2);
		assertThat(out.values()).containsExactly(5, -1);
	}

	@Test
	void causalPaddingIsUnsupported() {
		assertThatThrownBy(() -> converter.validate(layer("MaxPooling2D", "{\"padding\":\"causal\"}")))
			.isInstanceOf(UnsupportedLayerException.class);
	}

}
