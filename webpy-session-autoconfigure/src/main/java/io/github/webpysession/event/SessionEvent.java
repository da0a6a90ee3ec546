package io.github.webpysession.event;

import java.time.Clock;

import io.github.webpysession.store.SessionStore;

import org.springframework.context.ApplicationEvent;

/**
 * Something that happened to one session. The source is the store that keeps it. Published
 * synchronously, on the request's thread, once the store has been changed.
 */
public abstract class SessionEvent extends ApplicationEvent {

	private final String sessionId;

	protected SessionEvent(SessionStore store, String sessionId, Clock clock) {
		super(store, clock);
		this.sessionId = sessionId;
	}

	/** The store that keeps, or kept, the session. */
	public SessionStore getStore() {
		return (SessionStore) getSource();
	}

	/** The session's id. */
	public String getSessionId() {
		return this.sessionId;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.sessionId.substring(0, Math.min(8, this.sessionId.length()))
				+ "…]";
	}

}
