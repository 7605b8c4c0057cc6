package org.mlpages.system;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Told of every request the app refuses for what it sent (too large, not a photo, a wrong
 * answer): monitoring counts them. An interface here so that the shared web parts do not
 * depend on the monitoring that depends on them.
 */
public interface RefusalListener {

	/**
	 * A request refused.
	 * @param reason a short code, as {@link InputRejectedException#reason()} gives it
	 */
	void refused(HttpServletRequest request, String reason);

}
