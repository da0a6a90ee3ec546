package io.github.webpysession;

/**
 * Thrown before the handler runs when {@code session.ignore-expiry} is false and the
 * client's session has expired or is unknown, or when {@code session.ignore-change-ip} is
 * false and the client's IP changed. By default it is answered like web.py does: 200, the
 * expired message as plain text, the cookie cleared. An application's own
 * {@code @ExceptionHandler} takes precedence.
 */
public class SessionExpiredException extends RuntimeException {

	public SessionExpiredException(String message) {
		super(message);
	}

}
