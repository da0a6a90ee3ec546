package io.github.webpysession.event;

import java.time.Clock;

import io.github.webpysession.store.SessionStore;

/**
 * A request brought a session whose stored data could not be read (corrupt bytes, a class
 * outside {@code session.allowed-classes}): it got a fresh session instead, and the
 * stored bytes stay for inspection until the cleanup removes them.
 */
public class SessionUnreadableEvent extends SessionEvent {

	public SessionUnreadableEvent(SessionStore store, String sessionId, Clock clock) {
		super(store, sessionId, clock);
	}

}
