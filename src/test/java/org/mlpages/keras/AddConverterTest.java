package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlpages.keras.ConverterHarness.input;
import static org.mlpages.keras.ConverterHarness.layer;
import static org.mlpages.keras.ConverterHarness.run;
import static org.mlpages.keras.ConverterHarness.shape;

import org.junit.jupiter.api.Test;
import org.mlpages.keras.layers.AddConverter;

class AddConverterTest {

	@Test
	void sumsAllInputs() {
		var out = run(new AddConverter(), layer("Add", "{}"), LayerWeights.none("a"), input(shape(1, 2), 1, 2),
				input(shape(1, 2), 10, 20), input(shape(1, 2), 100, 200));
		assertThat(out.values()).containsExactly(111, 222);
	}

	@Test
	void needsInputs() {
		assertThatThrownBy(() -> run(new AddConverter(), layer("Add", "{}"), LayerWeights.none("a")))
			.isInstanceOf(KerasImportException.class);
	}

}
