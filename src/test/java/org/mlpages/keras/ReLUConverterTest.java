package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlpages.keras.ConverterHarness.input;
import static org.mlpages.keras.ConverterHarness.layer;
import static org.mlpages.keras.ConverterHarness.run;
import static org.mlpages.keras.ConverterHarness.shape;

import org.junit.jupiter.api.Test;
import org.mlpages.keras.layers.ReLUConverter;

class ReLUConverterTest {

	private final ReLUConverter converter = new ReLUConverter();

	private static final ConverterHarness.Input X = input(shape(1, 7), -3, -1, 0, 0.5f, 2, 6.5f, 7);

	private float[] relu(String config) {
		return run(converter, layer("ReLU", config), LayerWeights.none("test_layer"), X).values();
	}

	@Test
	void plainRelu() {
		assertThat(relu("{}")).containsExactly(0, 0, 0, 0.5f, 2, 6.5f, 7);
		assertThat(relu("{\"max_value\":null,\"negative_slope\":0.0,\"threshold\":0.0}")).containsExactly(0, 0, 0, 0.5f,
				2, 6.5f, 7);
	}

	@Test
	void maxValueClips() {
		assertThat(relu("{\"max_value\":6.0}")).containsExactly(0, 0, 0, 0.5f, 2, 6, 6);
		assertThat(relu("{\"max_value\":1.5}")).containsExactly(0, 0, 0, 0.5f, 1.5f, 1.5f, 1.5f);
	}

	@Test
	void negativeSlopeLeaks() {
		assertThat(relu("{\"negative_slope\":0.1}")).usingComparatorWithPrecision(1e-6f)
			.containsExactly(-0.3f, -0.1f, 0, 0.5f, 2, 6.5f, 7);
	}

	@Test
	void thresholdShiftsTheKnee() {
		assertThat(relu("{\"threshold\":1.0}")).containsExactly(0, 0, 0, 0, 2, 6.5f, 7);
	}

	@Test
	void allOptionsTogether() {
		// x > 1 ? min(x, 5) : 0.5 * (x - 1)
		assertThat(relu("{\"threshold\":1.0,\"negative_slope\":0.5,\"max_value\":5}"))
			.usingComparatorWithPrecision(1e-6f)
			.containsExactly(-2, -1, -0.5f, -0.25f, 2, 5, 5);
	}

	@Test
	void rejectsNegativeMaxValue() {
		assertThatThrownBy(() -> converter.validate(layer("ReLU", "{\"max_value\":-1}")))
			.isInstanceOf(KerasImportException.class)
			.hasMessageContaining("max_value");
	}

}
