package io.github.webpysession.event;

import java.time.Clock;

import io.github.webpysession.store.SessionStore;

/**
 * A stored session moved to a new id ({@code Session.regenerateId()}, typically at
 * login); the previous id opens nothing any more. {@link #getSessionId()} is the new id.
 */
public class SessionRegeneratedEvent extends SessionEvent {

	private final String previousId;

	public SessionRegeneratedEvent(SessionStore store, String previousId, String sessionId, Clock clock) {
		super(store, sessionId, clock);
		this.previousId = previousId;
	}

	/** The id the session had before. */
	public String getPreviousId() {
		return this.previousId;
	}

}
