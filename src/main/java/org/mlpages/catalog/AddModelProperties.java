package org.mlpages.catalog;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the models an administrator uploads on "Add a model", Keras or ONNX.
 *
 * @param maxModelSize the Keras file as sent
 * @param draftsDir where uploaded files wait, converted, until they are published or
 * discarded (emptied at start-up); by default {@code drafts} in the data folder
 * @param maxDrafts drafts kept at once; the oldest goes when another comes
 */
@ConfigurationProperties("mlpages.add-model")
public record AddModelProperties(@DefaultValue("200MB") DataSize maxModelSize, Path draftsDir,
		@DefaultValue("3") int maxDrafts) {

	public long maxModelMegabytes() {
		return maxModelSize.toMegabytes();
	}

}
