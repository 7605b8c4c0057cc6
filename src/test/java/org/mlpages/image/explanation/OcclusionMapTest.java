package org.mlpages.image.explanation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The grid's geometry, with a model that only looks at one spot of the photo: its answer
 * fades as that spot is greyed out, and nothing else matters to it.
 */
class OcclusionMapTest {

	private static final int SIDE = 64;

	@Test
	void theHottestCellIsTheSpotTheModelLooksAt() throws Exception {
		float[] photo = new float[SIDE * SIDE * 3];
		java.util.Arrays.fill(photo, 1f);
		float[] grey = new float[photo.length];
		// the model sees only the pixel (row 45, column 45): in cell (5, 5) of an 8 x 8
		// grid
		int spot = (45 * SIDE + 45) * 3;
		int[] calls = { 0 };

		HeatMap map = OcclusionMap.compute(photo, grey, SIDE, SIDE, 3, 8, 16, batch -> {
			calls[0]++;
			float[] answers = new float[batch.count()];
			for (int i = 0; i < batch.count(); i++) {
				answers[i] = 0.2f + 0.7f * batch.photos().get(i)[spot];
			}
			return answers;
		});

		assertThat(map.rows()).isEqualTo(8);
		assertThat(map.probability()).isCloseTo(0.9f, within(1e-6f));
		assertThat(map.hottest()).containsExactly(5, 5);
		// greyed by every square over it: the whole answer's worth lost
		assertThat(map.value(5, 5)).isCloseTo(0.7f, within(1e-6f));
		assertThat(map.value(0, 0)).isZero();
		// beside it, half the squares over the cell cover the spot
		assertThat(map.value(5, 6)).isCloseTo(0.35f, within(1e-6f));
		assertThat(map.value(6, 5)).isCloseTo(0.35f, within(1e-6f));
		// 49 squares and the photo itself, 16 at a time
		assertThat(calls[0]).isEqualTo(4);
	}

	@Test
	void theOverlayIsClearWhereNothingWasLostAndRedWhereMost() {
		float[] values = new float[16];
		values[15] = 0.5f;
		values[0] = -0.2f;
		HeatMap map = new HeatMap(HeatMap.OCCLUSION, 4, 4, values, 0.9f);

		java.awt.image.BufferedImage overlay = map.overlay(40, 40);

		assertThat(overlay.getRGB(2, 2) >>> 24).as("alpha where the answer grew").isZero();
		assertThat(overlay.getRGB(15, 5) >>> 24).as("alpha where nothing was lost").isZero();
		int hot = overlay.getRGB(38, 38);
		assertThat(hot >>> 24).isGreaterThan(150);
		assertThat(hot >> 16 & 0xFF).isEqualTo(255);
		assertThat(hot >> 8 & 0xFF).isLessThan(30);
	}

	@Test
	void aGridFinerThanThePhotoIsRefused() {
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> OcclusionMap.compute(new float[12], new float[12], 2, 2, 3, 4, 16,
					batch -> new float[batch.count()]))
			.isInstanceOf(IllegalArgumentException.class);
	}

}
