package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlpages.keras.ConverterHarness.input;
import static org.mlpages.keras.ConverterHarness.layer;
import static org.mlpages.keras.ConverterHarness.run;
import static org.mlpages.keras.ConverterHarness.shape;

import org.junit.jupiter.api.Test;
import org.mlpages.keras.layers.ConcatenateConverter;
import org.mlpages.keras.layers.FlattenConverter;
import org.mlpages.keras.layers.MergeConverter;

/** Flatten, Concatenate and the element-wise merges. */
class ShapeAndMergeConvertersTest {

	private static final LayerWeights NONE = LayerWeights.none("m");

	@Test
	void flattenKeepsChannelsLastOrder() {
		var out = run(new FlattenConverter(), layer("Flatten", "{}"), NONE,
				input(shape(2, 1, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8));
		assertThat(out.shape()).containsExactly(2, 4);
		assertThat(out.values()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
	}

	@Test
	void concatenateOnTheLastAxis() {
		var out = run(new ConcatenateConverter(), layer("Concatenate", "{\"axis\":-1}"), NONE, input(shape(1, 2), 1, 2),
				input(shape(1, 1), 3));
		assertThat(out.shape()).containsExactly(1, 3);
		assertThat(out.values()).containsExactly(1, 2, 3);
	}

	@Test
	void elementWiseMerges() {
		var a = input(shape(1, 2), 1, 8);
		var b = input(shape(1, 2), 4, 2);
		var merge = new MergeConverter();
		assertThat(run(merge, layer("Multiply", "{}"), NONE, a, b).values()).containsExactly(4, 16);
		assertThat(run(merge, layer("Maximum", "{}"), NONE, a, b).values()).containsExactly(4, 8);
		assertThat(run(merge, layer("Minimum", "{}"), NONE, a, b).values()).containsExactly(1, 2);
		assertThat(run(merge, layer("Average", "{}"), NONE, a, b).values()).containsExactly(2.5f, 5);
	}

}
