package org.mlpages.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The one account that may read the history: from the secrets file. Either a password
 * hash ({@code {bcrypt}...}) or a plain password, which is hashed at start-up with a
 * warning.
 */
@ConfigurationProperties("mlpages.admin")
record AdminAccountProperties(@DefaultValue("admin") String username, String password, String passwordHash) {

	@Override
	public String toString() {
		return "AdminAccountProperties[username=" + username + ", password=******]";
	}

}
