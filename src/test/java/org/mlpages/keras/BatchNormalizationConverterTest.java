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
import org.mlpages.keras.layers.BatchNormalizationConverter;

class BatchNormalizationConverterTest {

	private final BatchNormalizationConverter converter = new BatchNormalizationConverter();

	@Test
	void foldsMovingStatisticsIntoScaleAndOffset() {
		// channel 0: gamma 2, beta 1, mean 3, var 3.999 (+eps .001 = 4): 2 * (x - 3) / 2
		// + 1 = x - 2
		// channel 1: gamma .5, beta 0, mean -1, var .249 (+.001 = .25): .5 * (x + 1) / .5
		// = x + 1
		var out = run(converter,
				layer("BatchNormalization", "{\"axis\":[3],\"epsilon\":0.001,\"center\":true,\"scale\":true}"),
				weights(weight("gamma", shape(2), 2, 0.5f), weight("beta", shape(2), 1, 0),
						weight("moving_mean", shape(2), 3, -1), weight("moving_variance", shape(2), 3.999f, 0.249f)),
				input(shape(1, 1, 2, 2), 5, 5, -1, 0));
		assertThat(out.values()).usingComparatorWithPrecision(1e-6f).containsExactly(3, 6, -3, 1);
	}

	@Test
	void withoutCenterAndScaleThereAreNoGammaAndBeta() {
		var out = run(converter,
				layer("BatchNormalization", "{\"axis\":-1,\"epsilon\":0,\"center\":false,\"scale\":false}"),
				weights(weight("moving_mean", shape(1), 10), weight("moving_variance", shape(1), 4)),
				input(shape(2, 1), 10, 14));
		assertThat(out.values()).usingComparatorWithPrecision(1e-6f).containsExactly(0, 2);
	}

	@Test
	void foldIsComputedInDouble() {
		float[][] folded = BatchNormalizationConverter.fold(layer("BatchNormalization", "{\"epsilon\":1e-3}"),
				weights(weight("gamma", shape(1), 3), weight("beta", shape(1), 0.25f),
						weight("moving_mean", shape(1), 0.5f), weight("moving_variance", shape(1), 0.999f)));
		assertThat(folded[0][0]).isCloseTo(3f, within(1e-6f));
		assertThat(folded[1][0]).isCloseTo(0.25f - 1.5f, within(1e-6f));
	}

	@Test
	void onlyTheChannelAxisIsSupported() {
		assertThatThrownBy(() -> run(converter, layer("BatchNormalization", "{\"axis\":1}"),
				weights(weight("gamma", shape(1), 1), weight("beta", shape(1), 0), weight("moving_mean", shape(1), 0),
						weight("moving_variance", shape(1), 1)),
				input(shape(1, 1, 1, 1), 1)))
			.isInstanceOf(UnsupportedLayerException.class)
			.hasMessageContaining("axis 1");
	}

}
