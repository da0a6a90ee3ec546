package io.github.webpysession.store;

/**
 * The storage behind a {@link SessionStore} failed: a disk that is full or read-only, a
 * database that is down. Never swallowed: a request that needs its session answers 503,
 * and the log names the store and the cause.
 */
public class SessionStoreException extends RuntimeException {

	public SessionStoreException(String message, Throwable cause) {
		super(message, cause);
	}

}
