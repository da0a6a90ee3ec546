package io.github.webpysession.event;

import java.time.Clock;

import io.github.webpysession.store.SessionStore;

/**
 * A request brought a session that had expired, which was then removed from the store.
 * Sessions that expire unused are removed by the cleanup instead: see
 * {@link SessionsCleanedEvent}.
 */
public class SessionExpiredEvent extends SessionEvent {

	private final Reason reason;

	public SessionExpiredEvent(SessionStore store, String sessionId, Reason reason, Clock clock) {
		super(store, sessionId, clock);
		this.reason = reason;
	}

	/** Why the session had expired. */
	public Reason getReason() {
		return this.reason;
	}

	/** Why a session expires. */
	public enum Reason {

		/** Unused for longer than {@code session.timeout}. */
		TIMEOUT,

		/** Older than {@code session.max-lifetime}, however active. */
		MAX_LIFETIME,

		/** Used from another client IP, with {@code session.ignore-change-ip} false. */
		IP_CHANGED

	}

}
