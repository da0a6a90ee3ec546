package io.github.webpysession.web;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.github.webpysession.store.SessionKeys;
import io.github.webpysession.Session;
import io.github.webpysession.serializer.SessionData;
import io.github.webpysession.store.SessionLocks;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * One request's session, as its handler sees it ({@link Session}), and the request's
 * progress with it: its cookies' ids, read on first need; the session, loaded on first
 * use; the lock it holds; a failed save. What the request knows of the session against
 * the store, and changed on it, is its {@link SessionState}, which the
 * {@link SessionLifecycle} loads and saves.
 */
final class RequestSession implements Session {

	private final SessionLifecycle lifecycle;

	private final HttpServletRequest request;

	private final HttpServletResponse response;

	/**
	 * When the request started: the time it judges expiry by and records as the last
	 * access.
	 */
	private final Instant now;

	/**
	 * The ids the request's cookies carry, read when first needed; see
	 * {@link #requestedIds()}.
	 */
	private @Nullable List<SessionCookie.RequestedId> requestedIds;

	private boolean loaded;

	/** The lock this request holds on its session, with {@code session.lock}. */
	private SessionLocks.@Nullable Lease lease;

	private boolean initializing;

	/**
	 * Set once a save failed: the request has answered with that failure, and saves
	 * nothing more.
	 */
	private boolean failed;

	/**
	 * Whether a filter around the whole request completes it, rather than the handler.
	 */
	private final boolean filtered;

	/**
	 * Whether the session a cookie named has expired in a way the policy answers before
	 * the handler.
	 */
	private boolean expiredAnswer;

	/**
	 * Whether the handler has completed: a session it never loaded is not loaded
	 * afterwards.
	 */
	private boolean handlerDone;

	/** The session against the store, and what this request changed on it. */
	private final SessionState state;

	RequestSession(SessionLifecycle lifecycle, HttpServletRequest request, HttpServletResponse response, Instant now,
			boolean filtered) {
		this.lifecycle = lifecycle;
		this.request = request;
		this.response = response;
		this.now = now;
		this.filtered = filtered;
		this.state = new SessionState(now);
	}

	HttpServletRequest request() {
		return this.request;
	}

	HttpServletResponse response() {
		return this.response;
	}

	Instant now() {
		return this.now;
	}

	/**
	 * The well-formed (and correctly signed) ids from the request's cookies; read on
	 * first need, so that a request that never touches its session never parses them.
	 */
	List<SessionCookie.RequestedId> requestedIds() {
		if (this.requestedIds == null) {
			this.requestedIds = this.lifecycle.readCookies(this.request);
		}
		return this.requestedIds;
	}

	boolean isLoaded() {
		return this.loaded;
	}

	void ensureLoaded() {
		if (!this.loaded) {
			this.loaded = true;
			this.lifecycle.load(this);
		}
	}

	/**
	 * After {@code kill()}, goes on with a new, empty session; see
	 * {@link SessionLifecycle#renew}.
	 */
	void renew() {
		this.lifecycle.renew(this);
	}

	// The lock

	void hold(SessionLocks.Lease lease) {
		this.lease = lease;
	}

	/** Releases the lock this request holds, if any. */
	void release() {
		SessionLocks.Lease held = this.lease;
		if (held != null) {
			this.lease = null;
			held.close();
		}
	}

	/** The session against the store: what the lifecycle reads and moves on. */
	SessionState state() {
		return this.state;
	}

	boolean hasFailed() {
		return this.failed;
	}

	boolean isFiltered() {
		return this.filtered;
	}

	boolean isHandlerDone() {
		return this.handlerDone;
	}

	/** The handler has completed. */
	void handlerDone() {
		this.handlerDone = true;
	}

	boolean isExpiredAnswer() {
		return this.expiredAnswer;
	}

	/**
	 * The session a cookie named has expired, and the policy answers that before the
	 * handler.
	 */
	void expiredAnswer() {
		this.expiredAnswer = true;
	}

	/**
	 * Runs {@code initializer} with writes that fill the new session without making it
	 * dirty.
	 */
	void initialize(Runnable initializer) {
		this.initializing = true;
		try {
			initializer.run();
		}
		finally {
			this.initializing = false;
		}
	}

	/**
	 * A save failed and the request answers with that failure: what it changed is
	 * dropped, and nothing more is saved.
	 */
	void failed() {
		this.failed = true;
		this.state.dropped();
	}

	// Session

	@Override
	public String getId() {
		ensureLoaded();
		return this.state.id();
	}

	@Override
	public boolean isNew() {
		ensureLoaded();
		return this.state.isNew();
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(String key) {
		ensureLoaded();
		return (T) this.state.get(key);
	}

	@Override
	public <T> T get(String key, T defaultValue) {
		T value = get(key);
		return (value != null) ? value : defaultValue;
	}

	@Override
	public void put(String key, @Nullable Object value) {
		ensureLoaded();
		if (value != null) {
			this.lifecycle.checkValue(key, value);
		}
		this.state.put(key, value, !this.initializing);
		if (!this.initializing) {
			changed();
		}
		this.lifecycle.resolvePrincipal(this, key, value);
	}

	@Override
	public @Nullable String getPrincipalName() {
		ensureLoaded();
		return this.state.principalName();
	}

	@Override
	public void setPrincipalName(@Nullable String principalName) {
		ensureLoaded();
		if (this.state.principalNamed(principalName)) {
			changed();
		}
	}

	@Override
	public @Nullable Object remove(String key) {
		ensureLoaded();
		Object previous = this.state.get(key);
		put(key, null);
		return previous;
	}

	@Override
	public boolean contains(String key) {
		ensureLoaded();
		return this.state.contains(key);
	}

	@Override
	public Set<String> keys() {
		ensureLoaded();
		return this.state.keys();
	}

	@Override
	public void kill() {
		ensureLoaded();
		if (this.state.kill()) {
			this.lifecycle.killed(this);
		}
	}

	@Override
	public String regenerateId() {
		ensureLoaded();
		String id = SessionIds.generate();
		this.state.regenerate(id);
		changed();
		return id;
	}

	/**
	 * The handler changed the session: it is worth storing, and the client's cookie
	 * follows its id; not once it is killed or a save failed.
	 */
	private void changed() {
		if (this.state.isKilled() || this.failed) {
			return;
		}
		if (this.state.changed()) {
			this.lifecycle.idChanged(this);
		}
	}

	@Override
	public String toString() {
		return "Session[" + (this.loaded ? SessionKeys.abbreviate(this.state.id()) : "not loaded") + "]";
	}

}
