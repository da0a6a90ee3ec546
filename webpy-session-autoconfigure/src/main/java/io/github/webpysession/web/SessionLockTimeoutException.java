package io.github.webpysession.web;

/**
 * With {@code session.lock}, a request waited longer than {@code session.lock-timeout}
 * for another request of its session to finish. Answered by default with a 503, since
 * trying again shortly is likely to succeed.
 */
public class SessionLockTimeoutException extends RuntimeException {

	public SessionLockTimeoutException(String message) {
		super(message);
	}

}
