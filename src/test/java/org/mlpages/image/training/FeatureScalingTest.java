package org.mlpages.image.training;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FeatureScalingTest {

	@Test
	void eachFeatureGetsItsMeanAndInverseStandardDeviation() {
		// three photos, two features: the first 1, 2, 3; the second always 5
		Features data = new Features(new float[] { 1, 5, 2, 5, 3, 5 }, 2, new int[] { 0, 1, 0 },
				List.of("a.jpg", "b.jpg", "c.jpg"));

		FeatureScaling scaling = FeatureScaling.of(data);

		assertThat(scaling.mean()).containsExactly(new double[] { 2, 5 }, within(1e-12));
		// population standard deviation of 1, 2, 3 is sqrt(2/3)
		assertThat(scaling.inverseSd()[0]).isCloseTo(1 / Math.sqrt(2.0 / 3), within(1e-12));
		assertThat(scaling.inverseSd()[1]).as("a constant feature is left out, not divided by 0").isZero();
	}

}
