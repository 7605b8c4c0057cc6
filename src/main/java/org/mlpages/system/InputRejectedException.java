package org.mlpages.system;

import org.springframework.http.HttpStatus;

/**
 * A request the app will not serve, for a reason the person who sent it can fix. The page
 * shows the message in the reader's language; the API answers with the same status and
 * message as a problem detail.
 */
public class InputRejectedException extends RuntimeException {

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

}
