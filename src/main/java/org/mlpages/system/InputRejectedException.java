package org.mlpages.system;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A request the app will not serve, for a reason the person who sent it can fix. The page
 * shows the message in the reader's language; the API answers with the same status and
 * message as a problem detail.
 */
public class InputRejectedException extends RuntimeException {

	/**
	 * Every 503 here is a passing state (a model loading or stopping, too many photos at
	 * once, the database away): a few seconds, for clients and proxies that honour
	 * {@code Retry-After}.
	 */
	private static final int RETRY_AFTER_SECONDS = 5;

	private final HttpStatus status;

	private final String messageKey;

	private final transient Object[] messageArguments;

	/**
	 * @param logMessage what the log says, in English, with the details an operator needs
	 */
	public InputRejectedException(HttpStatus status, String messageKey, String logMessage, Object... messageArguments) {
		super(logMessage);
		this.status = status;
		this.messageKey = messageKey;
		this.messageArguments = messageArguments;
	}

	public HttpStatus status() {
		return status;
	}

	public String messageKey() {
		return messageKey;
	}

	public Object[] messageArguments() {
		return messageArguments.clone();
	}

	/**
	 * A short code for API clients, stable across languages: the last part of the message
	 * key.
	 */
	public String code() {
		return messageKey.substring(messageKey.lastIndexOf('.') + 1);
	}

	/**
	 * Why, as the metrics and the operator's log name it: the code, but
	 * {@code model-loading} and {@code model-unknown} for a model that cannot answer, and
	 * {@code http-415} (say) for Spring's own refusals.
	 */
	public String reason() {
		if (messageKey.startsWith("model.")) {
			return "model-" + code();
		}
		if ("error.status".equals(messageKey)) {
			return "http-" + status.value();
		}
		return code();
	}

	/**
	 * Sets {@code Retry-After} on the answer when the refusal is a passing one (a 503).
	 */
	public void addRetryAfter(HttpServletResponse response) {
		if (status == HttpStatus.SERVICE_UNAVAILABLE) {
			response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
		}
	}

}
