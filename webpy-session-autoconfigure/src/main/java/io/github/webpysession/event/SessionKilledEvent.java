package io.github.webpysession.event;

import java.time.Clock;

import io.github.webpysession.store.SessionStore;

/**
 * A stored session was removed by {@code Session.kill()}, typically at logout.
 */
public class SessionKilledEvent extends SessionEvent {

	public SessionKilledEvent(SessionStore store, String sessionId, Clock clock) {
		super(store, sessionId, clock);
	}

}
