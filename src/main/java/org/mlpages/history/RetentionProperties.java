package org.mlpages.history;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long predictions and their uploaded photos are kept. 0, the default, keeps them
 * forever.
 *
 * @param days rows and uploads older than this many days are deleted
 */
@ConfigurationProperties("mlpages.retention")
public record RetentionProperties(@DefaultValue("0") int days) {

	public boolean keepsForever() {
		return days <= 0;
	}

}
