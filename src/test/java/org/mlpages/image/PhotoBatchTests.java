package org.mlpages.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PhotoBatchTests {

	@Test
	void aPhotoOfAnotherSizeIsRefusedWithTheSizesItHasAndNeeds() {
		assertThatThrownBy(() -> new PhotoBatch(List.of(new float[12], new float[11]), 2, 2, 3))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("a photo of 2 x 2 x 3 needs 12 values, got 11");
		assertThatThrownBy(() -> new PhotoBatch(List.of(), 2, 2, 3)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void aSliceHandsOnTheSamePhotosWithoutCopyingThem() {
		float[] first = new float[3];
		float[] second = new float[3];
		float[] third = new float[3];
		PhotoBatch batch = new PhotoBatch(List.of(first, second, third), 1, 1, 3);

		PhotoBatch slice = batch.slice(1, 3);

		assertThat(slice.count()).isEqualTo(2);
		assertThat(slice.photos().get(0)).isSameAs(second);
		assertThat(slice.photos().get(1)).isSameAs(third);
	}

}
