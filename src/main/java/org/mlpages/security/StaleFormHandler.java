package org.mlpages.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.mlpages.system.StaleForm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.MissingCsrfTokenException;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.LocaleResolver;

/**
 * A form refused for its CSRF token. Almost always the person's own form, shown before
 * their session expired or the app restarted: the server no longer holds the token the
 * page carries. Spring Security's answer, a bare 403, lost everything they had typed.
 * Here nothing they sent is processed either, but a form that posts to its own page gets
 * that page back (see {@link StaleForm}), refilled where it can be, with a line asking to
 * send it again. The status stays 403: the submission was refused, and a script posting
 * without a token still reads a refusal.
 */
final class StaleFormHandler implements AccessDeniedHandler {

	private static final Logger log = LoggerFactory.getLogger(StaleFormHandler.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Forms that post to the address of the page that shows them, whose GET shows them
	 * again. Other posts (feedback, publish, cancel) come from a page whose address they
	 * do not carry: they get the error page, saying to reload it.
	 */
	private static final RequestMatcher FORM_PAGES = new OrRequestMatcher(post("/credit"), post("/tabular/{name}"),
			post("/image/{name}"), post("/training"), post("/login"));

	private static final RequestMatcher LOGOUT = post("/logout");

	private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

	private final MessageSource messages;

	private final LocaleResolver locales;

	StaleFormHandler(MessageSource messages, LocaleResolver locales) {
		this.messages = messages;
		this.locales = locales;
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException refused)
			throws IOException, ServletException {
		// the refused token itself stays out of the log
		log.info("{} {} not processed: {}", request.getMethod(), request.getRequestURI(),
				refused instanceof MissingCsrfTokenException
						? "the session holds no CSRF token (it expired, or the app restarted)"
						: "its CSRF token is not the session's");
		boolean alreadyShownAgain = StaleForm.isShownAgain(request);
		request.setAttribute(StaleForm.ATTRIBUTE, Boolean.TRUE);
		if (wantsJson(request)) {
			problem(request, response);
		}
		else if (LOGOUT.matches(request)
				&& !trust.isAuthenticated(SecurityContextHolder.getContext().getAuthentication())) {
			// nobody is logged in by this session any more: that was the point
			response.sendRedirect(request.getContextPath() + "/");
		}
		else if (FORM_PAGES.matches(request) && !alreadyShownAgain) {
			response.setStatus(HttpStatus.FORBIDDEN.value());
			// a GET is never refused for its token: the forward cannot come back here
			String path = request.getServletPath() + (request.getPathInfo() != null ? request.getPathInfo() : "");
			request.getRequestDispatcher(path).forward(new ShownAgain(request), response);
		}
		else {
			// error.html reads the mark and says to reload the page
			response.sendError(HttpStatus.FORBIDDEN.value());
		}
	}

	/**
	 * The training page's script, which sends the zip itself and shows the answer's
	 * {@code detail}; the same test as {@code RequestErrorAdvice.isApi} (the JSON API has
	 * no CSRF check at all).
	 */
	private static boolean wantsJson(HttpServletRequest request) {
		String accept = request.getHeader("Accept");
		return accept != null && accept.startsWith("application/json") && !accept.contains("html");
	}

	private void problem(HttpServletRequest request, HttpServletResponse response) throws IOException {
		Locale locale = locales.resolveLocale(request);
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		problem.put("title", HttpStatus.FORBIDDEN.getReasonPhrase());
		problem.put("status", HttpStatus.FORBIDDEN.value());
		problem.put("detail", messages.getMessage("error.stale", null, locale));
		problem.put("instance", request.getRequestURI());
		problem.put("code", "stale");
		response.setStatus(HttpStatus.FORBIDDEN.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.getWriter().write(JSON.writeValueAsString(problem));
	}

	private static RequestMatcher post(String pattern) {
		return PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, pattern);
	}

	/**
	 * The refused post as a GET of its page, without its body: the page reads the fields
	 * that were sent from the parameters, already parsed by the token check, and a
	 * multipart body is not parsed again, so the file it holds is never stored.
	 */
	private static final class ShownAgain extends HttpServletRequestWrapper {

		ShownAgain(HttpServletRequest request) {
			super(request);
		}

		@Override
		public String getMethod() {
			return HttpMethod.GET.name();
		}

		@Override
		public String getContentType() {
			return null;
		}

	}

}
