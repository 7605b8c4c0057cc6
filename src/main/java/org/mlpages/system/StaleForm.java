package org.mlpages.system;

import jakarta.servlet.http.HttpServletRequest;

/**
 * A form sent from a page the server no longer knows: the session it was shown in has
 * expired, or the app has restarted since, so its CSRF token is refused. Nothing it sent
 * is processed; the security layer marks the request with {@link #ATTRIBUTE} and shows
 * the form's own page again (a GET of the same address), which refills what it can from
 * the parameters sent and says why. Templates read the mark as {@code ${staleForm}}.
 */
public final class StaleForm {

	public static final String ATTRIBUTE = "staleForm";

	private StaleForm() {
	}

	/** Whether this request shows a form again after its stale submission. */
	public static boolean isShownAgain(HttpServletRequest request) {
		return request.getAttribute(ATTRIBUTE) != null;
	}

}
