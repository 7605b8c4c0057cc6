package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlpages.keras.ConverterHarness.input;
import static org.mlpages.keras.ConverterHarness.layer;
import static org.mlpages.keras.ConverterHarness.run;
import static org.mlpages.keras.ConverterHarness.shape;

import org.junit.jupiter.api.Test;
import org.mlpages.keras.layers.ZeroPadding2DConverter;

class ZeroPadding2DConverterTest {

	private final ZeroPadding2DConverter converter = new ZeroPadding2DConverter();

	private static final ConverterHarness.Input X = input(shape(1, 2, 2, 1), 1, 2, 3, 4);

	@Test
	void asymmetricPaddingAsMobileNetUsesIt() {
		var out = run(converter, layer("ZeroPadding2D", "{\"padding\":[[0,1],[0,1]]}"), LayerWeights.none("p"), X);
		assertThat(out.shape()).containsExactly(1, 3, 3, 1);
		assertThat(out.values()).containsExactly(1, 2, 0, 3, 4, 0, 0, 0, 0);
	}

	@Test
	void intAndPairForms() {
		assertThat(run(converter, layer("ZeroPadding2D", "{\"padding\":1}"), LayerWeights.none("p"), X).shape())
			.containsExactly(1, 4, 4, 1);
		var out = run(converter, layer("ZeroPadding2D", "{\"padding\":[1,0]}"), LayerWeights.none("p"), X);
		assertThat(out.shape()).containsExactly(1, 4, 2, 1);
		assertThat(out.values()).containsExactly(0, 0, 1, 2, 3, 4, 0, 0);
	}

	@Test
	void malformedPadding() {
		assertThatThrownBy(() -> converter.validate(layer("ZeroPadding2D", "{\"padding\":[1,2,3]}")))
			.isInstanceOf(KerasImportException.class)
			.hasMessageContaining("padding");
	}

}
