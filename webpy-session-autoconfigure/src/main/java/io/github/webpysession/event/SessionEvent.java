package io.github.webpysession.event;

import java.time.Clock;

import io.github.webpysession.store.SessionKeys;
import io.github.webpysession.store.SessionStore;

import org.springframework.context.ApplicationEvent;

/**
 * Something that happened to one session. The source is the store that keeps it.
 * Published synchronously, on the request's thread, once the store has been changed.
 */
public abstract class SessionEvent extends ApplicationEvent {

	private final String sessionId;

	protected SessionEvent(SessionStore store, String sessionId, Clock clock) {
		super(store.unwrap(), clock);
		this.sessionId = sessionId;
	}

	/** The store that keeps, or kept, the session. */
	public SessionStore getStore() {
		return (SessionStore) getSource();
	}

	/**
	 * The session's id in the store: the one-way digest that
	 * {@link io.github.webpysession.SessionInfo#id()} and
	 * {@link io.github.webpysession.Sessions} use, never the cookie's id, so that an
	 * audit log of these events holds nothing a client could present.
	 */
	public String getSessionId() {
		return this.sessionId;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + SessionKeys.abbreviate(this.sessionId) + "]";
	}

}
