package io.github.webpysession.web;

/**
 * A session grew past {@code session.max-size}; the message names its largest keys.
 * Nothing of it was written to the store.
 */
public class SessionTooLargeException extends IllegalStateException {

	public SessionTooLargeException(String message) {
		super(message);
	}

}
