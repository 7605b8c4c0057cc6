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
import org.mlpages.keras.layers.DenseConverter;

class DenseConverterTest {

	private final DenseConverter converter = new DenseConverter();

	// kernel [in=2, units=3] = [[1, 2, 3], [4, 5, 6]]
	private final Weight kernel = weight("kernel", shape(2, 3), 1, 2, 3, 4, 5, 6);

	@Test
	void matmulPlusBias() {
		var out = run(converter, layer("Dense", "{\"units\":3,\"use_bias\":true,\"activation\":\"linear\"}"),
				weights(kernel, weight("bias", shape(3), 0.5f, 0, -20)), input(shape(1, 2), 1, 2));
		assertThat(out.shape()).containsExactly(1, 3);
		assertThat(out.values()).containsExactly(9.5f, 12, -5);
	}

	@Test
	void reluActivationAndNoBias() {
		var out = run(converter, layer("Dense", "{\"units\":3,\"use_bias\":false,\"activation\":\"relu\"}"),
				weights(kernel), input(shape(1, 2), 1, -1));
		assertThat(out.values()).containsExactly(0, 0, 0);
	}

	@Test
	void softmaxActivation() {
		var out = run(converter, layer("Dense", "{\"units\":2,\"use_bias\":false,\"activation\":\"softmax\"}"),
				weights(weight("kernel", shape(1, 2), 0, 1)), input(shape(1, 1), 2));
		double e2 = Math.exp(2);
		assertThat(out.values()[0]).isCloseTo((float) (1 / (1 + e2)), within(1e-6f));
		assertThat(out.values()[1]).isCloseTo((float) (e2 / (1 + e2)), within(1e-6f));
	}

	@Test
	void appliesToTheLastAxisOfHigherRankInputs() {
		var out = run(converter, layer("Dense", "{\"units\":3,\"use_bias\":false}"), weights(kernel),
				input(shape(1, 2, 2), 1, 0, 0, 1));
		assertThat(out.shape()).containsExactly(1, 2, 3);
		assertThat(out.values()).containsExactly(1, 2, 3, 4, 5, 6);
	}

	@Test
	void missingKernelIsReported() {
		assertThatThrownBy(() -> run(converter, layer("Dense", "{\"units\":3}"), LayerWeights.none("test_layer"),
				input(shape(1, 2), 1, 2)))
			.isInstanceOf(KerasImportException.class)
			.hasMessageContaining("kernel");
	}

}
