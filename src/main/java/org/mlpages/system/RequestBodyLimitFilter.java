package org.mlpages.system;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * JSON bodies have no size limit of their own (multipart and form posts do): one that
 * declares more than any answer set could need is refused before it is read.
 */
@Component
class RequestBodyLimitFilter extends OncePerRequestFilter {

	static final long MAX_JSON_BYTES = 64 * 1024;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Logger log = LoggerFactory.getLogger(RequestBodyLimitFilter.class);

	private final MessageSource messages;

	private final RefusalListener refusals;

	RequestBodyLimitFilter(MessageSource messages, RefusalListener refusals) {
		this.messages = messages;
		this.refusals = refusals;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String type = request.getContentType();
		boolean json = type != null
				&& type.toLowerCase(java.util.Locale.ROOT).startsWith(MediaType.APPLICATION_JSON_VALUE);
		if (json && (request.getContentLengthLong() > MAX_JSON_BYTES || request.getContentLengthLong() < 0)) {
			log.info("{} {} refused (413): JSON body of {} bytes", request.getMethod(), request.getRequestURI(),
					request.getContentLengthLong());
			refusals.refused(request, "too-large");
			// written by hand: filters run before Spring MVC's problem-detail support
			Map<String, Object> problem = new LinkedHashMap<>();
			problem.put("type", "about:blank");
			problem.put("title", HttpStatus.CONTENT_TOO_LARGE.getReasonPhrase());
			problem.put("status", HttpStatus.CONTENT_TOO_LARGE.value());
			problem.put("detail", messages.getMessage("error.body.too-large", new Object[] { MAX_JSON_BYTES / 1024 },
					request.getLocale()));
			problem.put("code", "too-large");
			response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding("UTF-8");
			response.getWriter().write(JSON.writeValueAsString(problem));
			return;
		}
		chain.doFilter(request, response);
	}

}
