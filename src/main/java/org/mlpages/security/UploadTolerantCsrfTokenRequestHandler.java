package org.mlpages.security;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;

/**
 * Spring Security's CSRF check reads the token with {@code getParameter}, which makes
 * Tomcat parse the whole multipart body; for an upload over the size limit Tomcat throws
 * there, and the person would get an error instead of "this file is too large". Upload
 * forms also put the token in their URL, so when the body cannot be read the token is
 * taken from the query string alone, and the size refusal follows in Spring MVC as for
 * any other upload.
 */
class UploadTolerantCsrfTokenRequestHandler implements CsrfTokenRequestHandler {

	private final XorCsrfTokenRequestAttributeHandler delegate = new XorCsrfTokenRequestAttributeHandler();

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> csrfToken) {
		delegate.handle(request, response, csrfToken);
	}

	@Override
	public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken csrfToken) {
		return delegate.resolveCsrfTokenValue(new QueryFallbackRequest(request), csrfToken);
	}

	private static final class QueryFallbackRequest extends HttpServletRequestWrapper {

		QueryFallbackRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public String getParameter(String name) {
			try {
				return super.getParameter(name);
			}
			catch (RuntimeException unreadableBody) {
				return fromQueryString(name);
			}
		}

		private String fromQueryString(String name) {
			String query = getQueryString();
			if (query == null) {
				return null;
			}
			for (String pair : query.split("&")) {
				int equals = pair.indexOf('=');
				if (equals > 0 && URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8).equals(name)) {
					return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
				}
			}
			return null;
		}

	}

}
