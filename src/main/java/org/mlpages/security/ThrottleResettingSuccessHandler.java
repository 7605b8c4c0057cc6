package org.mlpages.security;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;

/**
 * After a good password, the address starts afresh; then back to the page that asked for
 * the login.
 */
class ThrottleResettingSuccessHandler extends SavedRequestAwareAuthenticationSuccessHandler {

	private final LoginThrottle throttle;

	ThrottleResettingSuccessHandler(LoginThrottle throttle) {
		this.throttle = throttle;
		setDefaultTargetUrl("/history");
	}

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) throws ServletException, IOException {
		throttle.succeeded(request.getRemoteAddr());
		super.onAuthenticationSuccess(request, response, authentication);
	}

}
