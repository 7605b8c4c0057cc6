package org.mlpages.image.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.mlpages.image.photo.PhotoDecoder;
import org.mlpages.image.photo.PhotoRejectedException;
import org.mlpages.image.training.PhotoFolders.Labelled;
import org.mlpages.image.training.PhotoFolders.Photo;

/**
 * Checks every file of a set of photos the way an upload is checked, before any training
 * time is spent: a photo sent through the browser is refused as a whole with the first
 * file that would be refused on the prediction page, named. (The command line, fed from a
 * folder on disk, skips such files with a warning instead.)
 */
public final class PhotoCheck {

	private PhotoCheck() {
	}

	/**
	 * @param root the folder the photo names are shown relative to
	 * @throws TrainingInputException naming the first file that is not a usable photo;
	 * its code is {@code photo-} and the refusal's reason ({@code photo-not-an-image},
	 * {@code photo-too-many-pixels}...), its arguments the file's name and, for too many
	 * pixels, the photo's width, height and the limit in megapixels
	 */
	public static void requireReadable(Labelled photos, Path root, PhotoDecoder decoder) throws IOException {
		for (Photo photo : photos.photos()) {
			String name = root.relativize(photo.file()).toString().replace('\\', '/');
			try {
				decoder.decode(Files.readAllBytes(photo.file()));
			}
			catch (PhotoRejectedException ex) {
				String reason = ex.reason().name().toLowerCase(Locale.ROOT).replace('_', '-');
				throw new TrainingInputException("photo-" + reason,
						name + " cannot be used: " + ex.getMessage() + " (" + reason + ")", name, ex.declaredWidth(),
						ex.declaredHeight(), decoder.maxPixels() / 1_000_000.0);
			}
		}
	}

}
