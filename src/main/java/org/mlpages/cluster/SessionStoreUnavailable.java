package org.mlpages.cluster;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.mlpages.system.RequestErrorAdvice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.MessageSource;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.transaction.TransactionException;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.WebUtils;

/**
 * With the sessions in the database, a request whose session cannot be read or saved
 * because the database is away fails before (or after) any controller: this filter, in
 * front of Spring Session's, answers it as the controllers answer a database outage — a
 * 503 with Retry-After and the same sentence ("nothing was saved"), in the visitor's
 * language, as JSON for the API — instead of the servlet container's 500. The page is
 * plain: the layout's menu and forms need the session that could not be read.
 */
class SessionStoreUnavailable implements Filter {

	private static final Logger log = LoggerFactory.getLogger(SessionStoreUnavailable.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int RETRY_AFTER_SECONDS = 5;

	private final MessageSource messages;

	private final LocaleResolver locales;

	SessionStoreUnavailable(MessageSource messages, LocaleResolver locales) {
		this.messages = messages;
		this.locales = locales;
	}

	/**
	 * In every dispatch it is registered for: a photo's answer comes in an async
	 * dispatch, whose end saves the session too.
	 */
	@Override
	public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
			throws ServletException, IOException {
		HttpServletRequest request = (HttpServletRequest) servletRequest;
		HttpServletResponse response = (HttpServletResponse) servletResponse;
		try {
			chain.doFilter(request, response);
		}
		catch (ServletException | IOException | RuntimeException ex) {
			// the session is saved when a page starts to be sent, from inside the view:
			// the failure comes wrapped in the template engine's
			Throwable database = databaseFailure(ex);
			if (database == null) {
				throw ex;
			}
			log.error("{} {}: the session could not be read or saved, the database did not answer: {}",
					request.getMethod(), request.getRequestURI(), database.getMessage());
			if (response.isCommitted() || request.isAsyncStarted()) {
				// the answer went out already, or comes from the async dispatch that
				// follows (a photo's): only this save of the session is lost
				return;
			}
			// a page of the app's own that failed to be sent (its session saved as it
			// went out) leaves the request marked as failed; the servlet container would
			// then put its own 500 page in place of this one
			WebUtils.clearErrorRequestAttributes(request);
			response.reset();
			response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
			response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
			response.setCharacterEncoding("UTF-8");
			Locale locale = locales.resolveLocale(request);
			String sentence = messages.getMessage("error.database", null, locale);
			if (RequestErrorAdvice.isApi(request)) {
				Map<String, Object> problem = new LinkedHashMap<>();
				problem.put("type", "about:blank");
				problem.put("title", HttpStatus.SERVICE_UNAVAILABLE.getReasonPhrase());
				problem.put("status", HttpStatus.SERVICE_UNAVAILABLE.value());
				problem.put("detail", sentence);
				problem.put("instance", request.getRequestURI());
				problem.put("code", "database");
				response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
				response.getWriter().write(JSON.writeValueAsString(problem));
			}
			else {
				response.setContentType(MediaType.TEXT_HTML_VALUE);
				response.getWriter()
					.write("<!DOCTYPE html><html lang=\"" + locale.getLanguage()
							+ "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,"
							+ " initial-scale=1\"><title>" + html(messages.getMessage("error.title", null, locale))
							+ "</title></head><body style=\"font-family:sans-serif;max-width:40em;margin:2em auto;"
							+ "padding:0 1em\"><h1>" + html(messages.getMessage("error.title", null, locale))
							+ "</h1><p>" + html(sentence) + "</p><p><a href=\"" + request.getContextPath() + "/\">"
							+ html(messages.getMessage("error.back", null, locale)) + "</a></p></body></html>");
			}
		}
	}

	private static Throwable databaseFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataAccessException || cause instanceof TransactionException) {
				return cause;
			}
		}
		return null;
	}

	private static String html(String text) {
		return HtmlUtils.htmlEscape(text, "UTF-8");
	}

}
