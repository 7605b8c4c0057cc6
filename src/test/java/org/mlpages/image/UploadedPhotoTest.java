package org.mlpages.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlpages.system.InputRejectedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadedPhotoTest {

	@ParameterizedTest
	@ValueSource(strings = { "../../etc/passwd", "..\\boot.ini", "photos/cat.jpg", "/tmp/cat.jpg", "cat\u0000.jpg",
			"cat\n.jpg" })
	void namesThatTryToBePathsAreRefused(String name) {
		assertThatThrownBy(() -> UploadedPhoto.of(name, new byte[] { 1 })).isInstanceOf(InputRejectedException.class)
			.satisfies(ex -> assertThat(((InputRejectedException) ex).code()).isEqualTo("name"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "cat.jpg", "Mon chat préféré (2).JPG", "..cat..jpg", "IMG_2024-01-01.webp", "" })
	void ordinaryNamesAreKept(String name) {
		assertThat(UploadedPhoto.of(name, new byte[] { 1 }).originalName()).isEqualTo(name);
	}

	@Test
	void aNameLongerThanTheColumnIsRefused() {
		assertThatThrownBy(() -> UploadedPhoto.of("a".repeat(300) + ".jpg", new byte[] { 1 }))
			.isInstanceOf(InputRejectedException.class);
	}

}
