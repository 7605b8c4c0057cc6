package org.mlpages.system;

import java.util.Locale;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.apache.catalina.connector.ClientAbortException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.MessageSource;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.ModelAndView;

/**
 * The one error model of the app: every refusal or failure becomes a status, a message in
 * the reader's language and a log line; a page gets the error page, the API a problem
 * detail. Never a stack trace.
 */
@ControllerAdvice
public class RequestErrorAdvice {

	private static final Logger log = LoggerFactory.getLogger(RequestErrorAdvice.class);

	private final MessageSource messages;

	private final Menu menu;

	private final MlPagesProperties.Upload uploadLimits;

	private final RefusalListener refusals;

	RequestErrorAdvice(MessageSource messages, Menu menu, MlPagesProperties properties, RefusalListener refusals) {
		this.messages = messages;
		this.menu = menu;
		this.uploadLimits = properties.upload();
		this.refusals = refusals;
	}

	@ExceptionHandler(InputRejectedException.class)
	Object rejected(InputRejectedException ex, HttpServletRequest request, Locale locale) {
		log.info("{} {} refused ({}): {}", request.getMethod(), request.getRequestURI(), ex.status().value(),
				ex.getMessage());
		return respond(ex, request, locale);
	}

	@ExceptionHandler(MaxUploadSizeExceededException.class)
	Object tooLarge(MaxUploadSizeExceededException ex, HttpServletRequest request, Locale locale) {
		// the training form without its script posts a zip, not a photo: "send a smaller
		// photo" would be the wrong advice there
		boolean trainingZip = request.getRequestURI().startsWith(request.getContextPath() + "/training");
		if (request.getRequestURI().startsWith(request.getContextPath() + "/image/")
				&& request.getRequestURI().endsWith("/batches")) {
			return rejected(
					new InputRejectedException(HttpStatus.CONTENT_TOO_LARGE, "batch.rejected.form-too-large",
							"photos over the size limit: " + ex.getMessage(),
							uploadLimits.maxRequestSize().toMegabytes(), uploadLimits.maxFileSizeInMegabytes()),
					request, locale);
		}
		if (request.getRequestURI().endsWith("/batches")) {
			return rejected(new InputRejectedException(HttpStatus.CONTENT_TOO_LARGE, "batch.rejected.too-large",
					"batch file over the size limit: " + ex.getMessage(), uploadLimits.maxFileSizeInMegabytes()),
					request, locale);
		}
		if (request.getRequestURI().startsWith(request.getContextPath() + "/admin/models")) {
			return rejected(new InputRejectedException(HttpStatus.CONTENT_TOO_LARGE, "addmodel.rejected.too-large",
					"model upload over the size limit: " + ex.getMessage(), uploadLimits.maxFileSizeInMegabytes()),
					request, locale);
		}
		return rejected(
				new InputRejectedException(HttpStatus.CONTENT_TOO_LARGE,
						trainingZip ? "upload.rejected.zip-too-large" : "upload.rejected.too-large",
						"upload over the size limit: " + ex.getMessage(), trainingZip
								? uploadLimits.maxRequestSize().toMegabytes() : uploadLimits.maxFileSizeInMegabytes()),
				request, locale);
	}

	@ExceptionHandler(MissingServletRequestPartException.class)
	Object missingPart(MissingServletRequestPartException ex, HttpServletRequest request, Locale locale) {
		return rejected(new InputRejectedException(HttpStatus.BAD_REQUEST, "upload.rejected.missing",
				"no part named " + ex.getRequestPartName()), request, locale);
	}

	@ExceptionHandler(MultipartException.class)
	Object badMultipart(MultipartException ex, HttpServletRequest request, Locale locale) {
		return rejected(new InputRejectedException(HttpStatus.BAD_REQUEST, "upload.rejected.malformed",
				"malformed multipart request: " + ex.getMessage()), request, locale);
	}

	/**
	 * A path or query value of the wrong type ({@code ?example=abc},
	 * {@code /predictions/abc}): the request's fault, not a failure.
	 */
	@ExceptionHandler(org.springframework.beans.TypeMismatchException.class)
	Object typeMismatch(org.springframework.beans.TypeMismatchException ex, HttpServletRequest request, Locale locale) {
		return rejected(new InputRejectedException(HttpStatus.BAD_REQUEST, "error.status",
				"a value of the wrong type: " + ex.getMessage(), 400), request, locale);
	}

	/**
	 * A form field whose name no form has ({@code fieldNames[x]}, an index past the
	 * binder's limit): a crafted request.
	 */
	@ExceptionHandler(org.springframework.beans.InvalidPropertyException.class)
	Object invalidProperty(org.springframework.beans.InvalidPropertyException ex, HttpServletRequest request,
			Locale locale) {
		return rejected(new InputRejectedException(HttpStatus.BAD_REQUEST, "error.status",
				"a form field no form has: " + ex.getMessage(), 400), request, locale);
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	Object unreadable(HttpMessageNotReadableException ex, HttpServletRequest request, Locale locale) {
		return rejected(new InputRejectedException(HttpStatus.BAD_REQUEST, "error.body.unreadable",
				"unreadable request body: " + ex.getMessage()), request, locale);
	}

	/** A body of a type the address does not read: say which it takes. */
	@ExceptionHandler(HttpMediaTypeNotSupportedException.class)
	Object unsupportedType(HttpMediaTypeNotSupportedException ex, HttpServletRequest request, Locale locale) {
		String supported = ex.getSupportedMediaTypes()
			.stream()
			.map(type -> type.getType() + "/" + type.getSubtype())
			.distinct()
			.collect(java.util.stream.Collectors.joining(", "));
		String sent = ex.getContentType() == null ? "a body without a type"
				: ex.getContentType().getType() + "/" + ex.getContentType().getSubtype();
		return rejected(new InputRejectedException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "error.body.media-type",
				ex.getMessage(), supported.isEmpty() ? "?" : supported, sent), request, locale);
	}

	@ExceptionHandler({ DataAccessException.class, TransactionException.class })
	Object databaseDown(RuntimeException ex, HttpServletRequest request, Locale locale) {
		log.error("{} {}: the database did not answer: {}", request.getMethod(), request.getRequestURI(),
				ex.getMessage());
		return respond(new InputRejectedException(HttpStatus.SERVICE_UNAVAILABLE, "error.database", ex.getMessage()),
				request, locale);
	}

	/**
	 * A client that stops reading (a CSV download cancelled, a page closed while it
	 * loads) is not the app's failure, and nothing can be sent to it any more.
	 */
	@ExceptionHandler({ ClientAbortException.class, AsyncRequestNotUsableException.class })
	void clientGone(Exception ex, HttpServletRequest request) {
		log.debug("{} {}: the client closed the connection ({})", request.getMethod(), request.getRequestURI(),
				ex.getMessage());
	}

	@ExceptionHandler(Exception.class)
	Object unexpected(Exception ex, HttpServletRequest request, Locale locale) {
		if (ex instanceof ErrorResponse response) {
			// Spring's own refusals (unknown path, wrong method ...) keep their status
			HttpStatusCode status = response.getStatusCode();
			log.info("{} {}: {}", request.getMethod(), request.getRequestURI(), ex.getMessage());
			return respond(new InputRejectedException(HttpStatus.valueOf(status.value()), "error.status",
					ex.getMessage(), status.value()), request, locale);
		}
		log.error("{} {} failed", request.getMethod(), request.getRequestURI(), ex);
		return respond(
				new InputRejectedException(HttpStatus.INTERNAL_SERVER_ERROR, "error.unexpected", ex.getMessage()),
				request, locale);
	}

	private Object respond(InputRejectedException ex, HttpServletRequest request, Locale locale) {
		// counted when the request asked for a prediction
		refusals.refused(request, ex.reason());
		return answer(ex, request, locale);
	}

	/**
	 * The page or the problem detail for a refusal or failure already logged and counted
	 * where it happened ({@link ErrorPathController}).
	 */
	Object answer(InputRejectedException ex, HttpServletRequest request, Locale locale) {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
				&& attributes.getResponse() != null) {
			ex.addRetryAfter(attributes.getResponse());
		}
		String message = messages.getMessage(ex.messageKey(), ex.messageArguments(), locale);
		if (isApi(request)) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(ex.status(), message);
			problem.setTitle(ex.status().getReasonPhrase());
			problem.setProperty("code", ex.code());
			return ResponseEntity.status(ex.status()).body(problem);
		}
		ModelAndView page = new ModelAndView("error", ex.status());
		page.addObject("status", ex.status().value());
		page.addObject("message", message);
		page.addObject("menuEntries", menu.entries(locale, request.isUserInRole(Menu.ADMIN_ROLE)));
		page.addObject("currentPath", "");
		return page;
	}

	/**
	 * The API, and a page's own script asking for JSON alone (a browser navigating asks
	 * for HTML first).
	 */
	public static boolean isApi(HttpServletRequest request) {
		String accept = request.getHeader("Accept");
		// on the error path, the address the client asked for
		Object asked = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		String uri = asked instanceof String original ? original : request.getRequestURI();
		return uri.startsWith(request.getContextPath() + "/api/")
				|| (accept != null && accept.startsWith("application/json") && !accept.contains("html"));
	}

}
