package org.mlpages.image.training;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the zips an administrator uploads to train a model in the browser. Each photo
 * inside is held to the photo upload's own limits ({@code mlpages.upload.max-file-size},
 * {@code mlpages.image.max-pixels}).
 *
 * @param maxArchiveSize the zip as sent
 * @param maxFiles files in the zip
 * @param maxUnpackedSize all files unpacked
 * @param workDir where zips are unpacked and models written until they are published
 */
@ConfigurationProperties("mlpages.training")
public record TrainingProperties(@DefaultValue("300MB") DataSize maxArchiveSize, @DefaultValue("5000") int maxFiles,
		@DefaultValue("1GB") DataSize maxUnpackedSize, @DefaultValue("data/training") Path workDir) {

	public long maxArchiveMegabytes() {
		return maxArchiveSize.toMegabytes();
	}

}
