package org.mlpages.batch;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of what a person or a client sends at once. A CSV file, or photos sent as a
 * form, are held to the upload's own limits ({@code mlpages.upload.max-file-size} and
 * {@code max-request-size}); a zip of photos sent as the request's body to the limit
 * here.
 *
 * @param maxRows cases in one file; a file over it is refused before any is scored
 * @param maxPhotos photos in one batch (a zip's files, or the photos of one form)
 * @param maxArchiveSize a zip of photos sent as the body, and the photos of a zip
 * unpacked, together
 * @param workDir where a batch's photos wait until they are scored; by default the folder
 * {@code batches} of {@code mlpages.data-dir}
 */
@ConfigurationProperties("mlpages.batch")
public record BatchProperties(@DefaultValue("10000") int maxRows, @DefaultValue("1000") int maxPhotos,
		@DefaultValue("200MB") DataSize maxArchiveSize, Path workDir) {

	public long maxArchiveMegabytes() {
		return maxArchiveSize.toMegabytes();
	}

}
