package org.mlpages.monitoring;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.mlpages.history.PredictionRecord.Channel;

/**
 * Which model and channel a request asks for a prediction of, read from its path: a
 * refusal may come before any controller has run (an upload over the size limit is
 * refused while the request is read).
 *
 * @param model the model named by the path, unchecked; null when the path names none
 */
record PredictionEndpoint(String model, Channel channel) {

	private static final Pattern API = Pattern.compile("/api/v1/models/([^/]+)/predictions");

	private static final Pattern PAGE = Pattern.compile("/(?:image|tabular)/([^/]+)");

	private static final String CREDIT = "credit";

	/** The endpoint a request posts to, or null when it asks for no prediction. */
	static PredictionEndpoint of(HttpServletRequest request) {
		if (!"POST".equals(request.getMethod())) {
			return null;
		}
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (path.equals("/" + CREDIT)) {
			return new PredictionEndpoint(CREDIT, Channel.PAGE);
		}
		if (path.startsWith("/demo/applicants/")) {
			return new PredictionEndpoint(CREDIT, Channel.DEMO);
		}
		if (path.startsWith("/demo/photos/")) {
			// the demo chooses the model itself
			return new PredictionEndpoint(null, Channel.DEMO);
		}
		Matcher api = API.matcher(path);
		if (api.matches()) {
			return new PredictionEndpoint(api.group(1), Channel.API);
		}
		Matcher page = PAGE.matcher(path);
		return page.matches() ? new PredictionEndpoint(page.group(1), Channel.PAGE) : null;
	}

}
