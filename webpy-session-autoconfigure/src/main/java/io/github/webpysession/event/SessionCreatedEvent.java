package io.github.webpysession.event;

import java.time.Clock;

import io.github.webpysession.store.SessionStore;

/**
 * A new session was stored for the first time: the first write to it, not the first
 * request, since a session nothing is written to is never stored.
 */
public class SessionCreatedEvent extends SessionEvent {

	public SessionCreatedEvent(SessionStore store, String sessionId, Clock clock) {
		super(store, sessionId, clock);
	}

}
