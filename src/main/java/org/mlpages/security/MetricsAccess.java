package org.mlpages.security;

import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Who may read {@code /actuator/prometheus} without logging in: the server itself, that
 * is a request whose address is the loopback and that no proxy relayed.
 * <p>
 * Behind Nginx on the same server every request comes from the loopback. Tomcat then
 * takes the client's address from {@code X-Forwarded-For}
 * ({@code server.forward-headers-strategy: native}), so a visitor from the internet shows
 * with his own address; but a request Nginx relays for a client on the server itself, or
 * whose {@code X-Forwarded-For} Nginx did not set, would still show the loopback. So any
 * sign of a proxy ({@code X-Forwarded-*}, {@code Forwarded}, {@code X-Real-IP}) refuses
 * too: a scraper on the server asks the app's own port, not the public site.
 */
final class MetricsAccess implements AuthorizationManager<RequestAuthorizationContext> {

	/** Headers a proxy adds; Tomcat removes X-Forwarded-For once it has read it. */
	static final List<String> PROXY_HEADERS = List.of("X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
			"X-Forwarded-Port", "X-Forwarded-Prefix", "X-Forwarded-Ssl", "Forwarded", "X-Real-IP");

	// literal addresses only: no name is ever looked up
	private static final Pattern LOOPBACK = Pattern
		.compile("127(\\.\\d{1,3}){3}|::1|0:0:0:0:0:0:0:1|\\[::1]|\\[0:0:0:0:0:0:0:1]");

	@Override
	public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
			RequestAuthorizationContext context) {
		return new AuthorizationDecision(fromTheServerItself(context.getRequest()));
	}

	static boolean fromTheServerItself(HttpServletRequest request) {
		String address = request.getRemoteAddr();
		if (address == null || !LOOPBACK.matcher(address).matches()) {
			return false;
		}
		for (String header : PROXY_HEADERS) {
			if (request.getHeader(header) != null) {
				return false;
			}
		}
		return true;
	}

}
