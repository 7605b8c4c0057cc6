package org.mlpages.batch;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the files of cases a person or a client sends at once. The file's size is
 * held to the upload's own limit ({@code mlpages.upload.max-file-size}).
 *
 * @param maxRows cases in one file; a file over it is refused before any is scored
 */
@ConfigurationProperties("mlpages.batch")
public record BatchProperties(@DefaultValue("10000") int maxRows) {

}
