package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.mlpages.keras.ConverterHarness.input;
import static org.mlpages.keras.ConverterHarness.layer;
import static org.mlpages.keras.ConverterHarness.run;
import static org.mlpages.keras.ConverterHarness.shape;

import org.junit.jupiter.api.Test;
import org.mlpages.keras.layers.LeakyReLUConverter;
import org.mlpages.keras.layers.RescalingConverter;
import org.mlpages.keras.layers.SoftmaxConverter;

/** LeakyReLU, Softmax and Rescaling layers. */
class ActivationLayersTest {

	private static final LayerWeights NONE = LayerWeights.none("a");

	private static final ConverterHarness.Input X = input(shape(1, 3), -10, 0, 255);

	@Test
	void leakyReluKeras2AlphaAndKeras3NegativeSlope() {
		assertThat(run(new LeakyReLUConverter(), layer("LeakyReLU", "{\"alpha\":0.1}"), NONE, X).values())
			.usingComparatorWithPrecision(1e-5f)
			.containsExactly(-1, 0, 255);
		assertThat(run(new LeakyReLUConverter(), layer("LeakyReLU", "{\"negative_slope\":0.2}"), NONE, X).values())
			.usingComparatorWithPrecision(1e-5f)
			.containsExactly(-2, 0, 255);
		assertThat(run(new LeakyReLUConverter(), layer("LeakyReLU", "{}"), NONE, X).values())
			.usingComparatorWithPrecision(1e-5f)
			.containsExactly(-3, 0, 255);
	}

	@Test
	void rescalingAsTeachableMachinePreprocesses() {
		float[] y = run(new RescalingConverter(), layer("Rescaling", "{\"scale\":0.00784313725,\"offset\":-1}"), NONE,
				X)
			.values();
		assertThat(y[2]).isCloseTo(1f, within(1e-6f));
		assertThat(y[1]).isEqualTo(-1f);
	}

	@Test
	void softmaxLayer() {
		float[] y = run(new SoftmaxConverter(), layer("Softmax", "{\"axis\":-1}"), NONE, input(shape(1, 2), 0, 0))
			.values();
		assertThat(y).containsExactly(0.5f, 0.5f);
		assertThatThrownBy(() -> new SoftmaxConverter().validate(layer("Softmax", "{\"axis\":1}")))
			.isInstanceOf(UnsupportedLayerException.class);
	}

}
