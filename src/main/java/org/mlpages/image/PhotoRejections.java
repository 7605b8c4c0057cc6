package org.mlpages.image;

import org.mlpages.image.photo.PhotoRejectedException;
import org.mlpages.system.InputRejectedException;

import org.springframework.http.HttpStatus;

/**
 * Which status and message each reason to refuse a photo gets, for the page and the API
 * alike (and a photo tried on a model not yet published).
 */
public final class PhotoRejections {

	private PhotoRejections() {
	}

	/**
	 * @param maxPixels the pixel limit a photo was held to
	 * @param minSide the shortest side a photo was held to
	 */
	public static InputRejectedException toInputRejected(PhotoRejectedException ex, long maxPixels, int minSide) {
		return switch (ex.reason()) {
			case EMPTY -> new InputRejectedException(HttpStatus.BAD_REQUEST, "upload.rejected.empty", ex.getMessage());
			case NOT_AN_IMAGE -> new InputRejectedException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					"upload.rejected.not-an-image", ex.getMessage());
			case UNSUPPORTED_FORMAT -> new InputRejectedException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					"upload.rejected.unsupported-format", ex.getMessage());
			case CORRUPT -> new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "upload.rejected.corrupt",
					ex.getMessage());
			case TOO_MANY_PIXELS -> new InputRejectedException(HttpStatus.CONTENT_TOO_LARGE,
					"upload.rejected.too-many-pixels", ex.getMessage(), String.valueOf(ex.declaredWidth()),
					String.valueOf(ex.declaredHeight()), maxPixels / 1_000_000.0);
			case TOO_SMALL -> new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "upload.rejected.too-small",
					ex.getMessage(), String.valueOf(ex.declaredWidth()), String.valueOf(ex.declaredHeight()),
					String.valueOf(minSide));
		};
	}

}
