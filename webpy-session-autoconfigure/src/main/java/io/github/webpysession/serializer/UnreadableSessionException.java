package io.github.webpysession.serializer;

/**
 * Stored session data that cannot be read: corrupt, truncated, written by an incompatible
 * version, or naming a class that the allow-list refuses. The session starts afresh and
 * the log says why; the request never fails because of it.
 */
public class UnreadableSessionException extends RuntimeException {

	public UnreadableSessionException(String message) {
		super(message);
	}

	public UnreadableSessionException(String message, Throwable cause) {
		super(message, cause);
	}

}
