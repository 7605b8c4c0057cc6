package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.mlpages.keras.ConverterHarness.input;
import static org.mlpages.keras.ConverterHarness.layer;
import static org.mlpages.keras.ConverterHarness.run;
import static org.mlpages.keras.ConverterHarness.shape;

import org.junit.jupiter.api.Test;
import org.mlpages.keras.layers.ActivationConverter;
import org.mlpages.keras.layers.DropoutConverter;
import org.mlpages.keras.layers.InputLayerConverter;

/** InputLayer, Dropout and Activation: no weights, one input. */
class PassThroughConvertersTest {

	private static final ConverterHarness.Input X = input(shape(1, 4), -2, 0, 3, 8);

	@Test
	void inputLayerIsIdentity() {
		assertThat(run(new InputLayerConverter(), layer("InputLayer", "{\"batch_input_shape\":[null,4]}"),
				LayerWeights.none("i"), X)
			.values()).containsExactly(-2, 0, 3, 8);
	}

	@Test
	void dropoutIsIdentityAtInference() {
		assertThat(run(new DropoutConverter(), layer("Dropout", "{\"rate\":0.9}"), LayerWeights.none("d"), X).values())
			.containsExactly(-2, 0, 3, 8);
	}

	@Test
	void activationLayer() {
		var conv = new ActivationConverter();
		assertThat(run(conv, layer("Activation", "{\"activation\":\"relu6\"}"), LayerWeights.none("a"), X).values())
			.containsExactly(0, 0, 3, 6);
		assertThat(run(conv, layer("Activation", "{\"activation\":\"linear\"}"), LayerWeights.none("a"), X).values())
			.containsExactly(-2, 0, 3, 8);
		assertThat(run(conv, layer("Activation", "{\"activation\":\"relu\"}"), LayerWeights.none("a"), X).values())
			.containsExactly(0, 0, 3, 8);
		float[] sigmoid = run(conv, layer("Activation", "{\"activation\":\"sigmoid\"}"), LayerWeights.none("a"), X)
			.values();
		assertThat(sigmoid[0]).isCloseTo((float) (1 / (1 + Math.exp(2))), within(1e-6f));
		assertThat(sigmoid[1]).isEqualTo(0.5f);
		float[] softmax = run(conv, layer("Activation", "{\"activation\":\"softmax\"}"), LayerWeights.none("a"), X)
			.values();
		double sum = Math.exp(-2) + 1 + Math.exp(3) + Math.exp(8);
		assertThat(softmax[3]).isCloseTo((float) (Math.exp(8) / sum), within(1e-6f));
	}

	@Test
	void unknownActivationIsUnsupported() {
		assertThatThrownBy(() -> new ActivationConverter().validate(layer("Activation", "{\"activation\":\"swishy\"}")))
			.isInstanceOf(UnsupportedLayerException.class)
			.hasMessageContaining("test_layer")
			.hasMessageContaining("swishy");
	}

}
