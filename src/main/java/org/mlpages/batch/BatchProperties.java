package org.mlpages.batch;

import java.nio.file.Path;
import java.time.Duration;

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
 * {@code batches} of {@code mlpages.data-dir}; on a volume every instance shares when
 * there are several, so that another can finish a batch of photos
 * @param lease how long an instance's claim on the batch it runs holds without being
 * renewed (it is, at every slice): past it, another instance takes the batch over
 */
@ConfigurationProperties("mlpages.batch")
public record BatchProperties(@DefaultValue("10000") int maxRows, @DefaultValue("1000") int maxPhotos,
		@DefaultValue("200MB") DataSize maxArchiveSize, Path workDir, @DefaultValue("2m") Duration lease) {

	public long maxArchiveMegabytes() {
		return maxArchiveSize.toMegabytes();
	}

}
