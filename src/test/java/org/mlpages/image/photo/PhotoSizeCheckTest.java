package org.mlpages.image.photo;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;
import org.mlpages.image.photo.PhotoRejectedException.Reason;
import org.mlpages.image.photo.PhotoSizeCheck.Warning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhotoSizeCheckTest {

	private static final Preprocessing SQUARE = new Preprocessing(ResizeMode.CENTER_CROP, 224, 224, 1f / 255, 0);

	private final PhotoSizeCheck check = new PhotoSizeCheck(PhotoSizeCheck.DEFAULT_MIN_SIDE);

	@Test
	void aOneByOnePhotoIsRefusedWithItsSize() {
		assertThatThrownBy(() -> check.requireMinimum(photo(1, 1), SQUARE)).isInstanceOf(PhotoRejectedException.class)
			.satisfies(thrown -> {
				PhotoRejectedException ex = (PhotoRejectedException) thrown;
				assertThat(ex.reason()).isEqualTo(Reason.TOO_SMALL);
				assertThat(ex.declaredWidth()).isEqualTo(1);
				assertThat(ex.declaredHeight()).isEqualTo(1);
			});
	}

	@Test
	void theFloorHoldsForTheShortestSideOnly() {
		assertThatThrownBy(() -> check.requireMinimum(photo(31, 2000), SQUARE))
			.isInstanceOf(PhotoRejectedException.class);
		assertThatThrownBy(() -> check.requireMinimum(photo(2000, 31), SQUARE))
			.isInstanceOf(PhotoRejectedException.class);
		assertThatCode(() -> check.requireMinimum(photo(32, 32), SQUARE)).doesNotThrowAnyException();
	}

	@Test
	void aModelWithASmallerInputTakesPhotosOfItsOwnSize() {
		Preprocessing tiny = new Preprocessing(ResizeMode.STRETCH, 28, 28, 1f / 255, 0);

		assertThat(check.floor(tiny)).isEqualTo(28);
		assertThat(check.floor(SQUARE)).isEqualTo(32);
		assertThatCode(() -> check.requireMinimum(photo(28, 28), tiny)).doesNotThrowAnyException();
		assertThat(PhotoSizeCheck.warnings(28, 28, tiny)).isEmpty();
	}

	@Test
	void aPhotoEnlargedMoreThanTwiceIsSmall() {
		assertThat(PhotoSizeCheck.warnings(60, 60, SQUARE)).containsExactly(Warning.SMALL);
		assertThat(PhotoSizeCheck.warnings(111, 300, SQUARE)).containsExactly(Warning.SMALL);
		assertThat(PhotoSizeCheck.warnings(300, 111, SQUARE)).containsExactly(Warning.SMALL);
		assertThat(PhotoSizeCheck.warnings(112, 112, SQUARE)).isEmpty();
	}

	@Test
	void aPhotoMoreThanFourTimesAsElongatedAsTheInputIsElongated() {
		assertThat(PhotoSizeCheck.warnings(1200, 150, SQUARE)).containsExactly(Warning.ELONGATED);
		assertThat(PhotoSizeCheck.warnings(500, 2001, SQUARE)).containsExactly(Warning.ELONGATED);
		assertThat(PhotoSizeCheck.warnings(800, 200, SQUARE)).as("4:1 exactly").isEmpty();
		assertThat(PhotoSizeCheck.warnings(1000, 100, SQUARE)).containsExactly(Warning.SMALL, Warning.ELONGATED);
	}

	@Test
	void elongationIsMeasuredAgainstTheInputsOwnShape() {
		Preprocessing wide = new Preprocessing(ResizeMode.CENTER_CROP, 448, 112, 1f / 255, 0);

		assertThat(PhotoSizeCheck.warnings(1600, 400, wide)).isEmpty();
		assertThat(PhotoSizeCheck.warnings(400, 400, wide)).as("a square is 4 times narrower").isEmpty();
		assertThat(PhotoSizeCheck.warnings(300, 400, wide)).containsExactly(Warning.ELONGATED);
	}

	@Test
	void everyPhotoOfTheUsualSizesIsAnsweredWithoutWarning() {
		assertThat(PhotoSizeCheck.warnings(4032, 3024, SQUARE)).isEmpty();
		assertThat(PhotoSizeCheck.warnings(162, 198, SQUARE)).isEmpty();
		assertThat(PhotoSizeCheck.warnings(1200, 1800, SQUARE)).isEmpty();
	}

	@Test
	void warningCodesAreStable() {
		assertThat(Warning.SMALL.code()).isEqualTo("small");
		assertThat(Warning.ELONGATED.code()).isEqualTo("elongated");
	}

	private static DecodedPhoto photo(int width, int height) {
		return new DecodedPhoto(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", width, height, 1);
	}

}
