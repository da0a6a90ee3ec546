package io.github.webpysession.web;

/**
 * A save kept losing to concurrent writes of the same session until its deadline passed.
 * The request answers 503 with {@code Retry-After}, and nothing of it was written; with
 * {@code session.lock} the requests of one session never meet this.
 */
public class SessionConflictException extends RuntimeException {

	public SessionConflictException(String message) {
		super(message);
	}

}
