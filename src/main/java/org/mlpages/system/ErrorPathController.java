package org.mlpages.system;

import java.util.Locale;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Where Tomcat forwards what Spring MVC's handlers did not answer: a {@code sendError}
 * (the login throttle's 429, a stale form's 403) or a failure after the handler, such as
 * a page whose template fails while it is drawn. It answers as {@link RequestErrorAdvice}
 * does, the error page in the reader's language or a problem detail, in place of Boot's
 * own controller: that one answered a client that does not take HTML with a JSON map,
 * which the content type the failed page had already set made unwritable (a second
 * failure, logged, on top of the first).
 * <p>
 * Nothing is logged here: whoever sent the error logged it, and Tomcat logs a failure.
 */
@Controller
class ErrorPathController implements ErrorController {

	private final RequestErrorAdvice errors;

	ErrorPathController(RequestErrorAdvice errors) {
		this.errors = errors;
	}

	@RequestMapping("${server.error.path:/error}")
	Object error(HttpServletRequest request, HttpServletResponse response, Locale locale) {
		HttpStatus status = statusOf(request);
		// the failed page's text/html would otherwise stand for the answer's type
		response.setContentType(null);
		InputRejectedException answer = status.is5xxServerError()
				? new InputRejectedException(status, "error.unexpected", "failed: status " + status.value())
				: new InputRejectedException(status, "error.status", "refused: status " + status.value(),
						status.value());
		return errors.answer(answer, request, locale);
	}

	private static HttpStatus statusOf(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
		if (status == null || !status.isError()) {
			// asked for directly, or an unusual code: a failure all the same
			return HttpStatus.INTERNAL_SERVER_ERROR;
		}
		return status;
	}

}
