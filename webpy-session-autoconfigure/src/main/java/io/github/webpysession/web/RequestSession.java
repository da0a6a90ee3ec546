package io.github.webpysession.web;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.github.webpysession.store.SessionKeys;
import io.github.webpysession.Session;
import io.github.webpysession.serializer.SessionData;
import io.github.webpysession.store.SessionLocks;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * One request's view of its session: the data, loaded on first use, and what this request
 * changed. The {@link SessionLifecycle} loads and saves it through the transitions below,
 * each named for what happened in the store; nothing else writes its state.
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

	/** The session's id, as the client knows it once this response arrives. */
	private String id = "";

	/**
	 * The key the store keeps this session's data under, or null while it is not stored:
	 * the {@link SessionIds#digest digest} of {@link #id}, except after
	 * {@link #regenerateId()}, until the data has moved, and after the data moved away
	 * under this request, which then follows it without telling its client.
	 */
	private @Nullable String storedId;

	/** {@link #key()}, computed once per id. */
	private String key = "";

	/** The id {@link #key} is the digest of. */
	private @Nullable String keyOf;

	/**
	 * Whether the data must move from {@link #storedId} to {@link #id} at the next save.
	 */
	private boolean regenerating;

	/** Whether a new session has something worth storing. */
	private boolean dirty;

	private boolean killed;

	/**
	 * The id the client's cookie carries after this response, or null while it carries
	 * none.
	 */
	private @Nullable String cookieId;

	private Instant created = Instant.EPOCH;

	private @Nullable String ip;

	private @Nullable String principalName;

	/**
	 * Whether this request changed {@link #principalName}, which then survives a merge.
	 */
	private boolean principalChanged;

	private long version;

	private Instant lastAccessed = Instant.EPOCH;

	/** The attributes and this request's changes to them; empty until loaded. */
	private final AttributeChanges attributes = new AttributeChanges();

	RequestSession(SessionLifecycle lifecycle, HttpServletRequest request, HttpServletResponse response, Instant now,
			boolean filtered) {
		this.lifecycle = lifecycle;
		this.request = request;
		this.response = response;
		this.now = now;
		this.filtered = filtered;
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

	// What the lifecycle reads

	String id() {
		return this.id;
	}

	@Nullable String storedId() {
		return this.storedId;
	}

	/**
	 * The store key of {@link #id}: what the store keeps it under, never the id itself.
	 */
	String key() {
		if (!this.id.equals(this.keyOf)) {
			this.key = SessionIds.digest(this.id);
			this.keyOf = this.id;
		}
		return this.key;
	}

	boolean isRegenerating() {
		return this.regenerating;
	}

	boolean isKilled() {
		return this.killed;
	}

	boolean isDirty() {
		return this.dirty;
	}

	/** Whether this request changed an attribute or the principal name. */
	boolean hasChanges() {
		return this.attributes.hasChanges() || this.principalChanged;
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

	Instant created() {
		return this.created;
	}

	long version() {
		return this.version;
	}

	Instant lastAccessed() {
		return this.lastAccessed;
	}

	SessionData data() {
		return new SessionData(this.created, this.ip, this.principalName, this.attributes.attributes());
	}

	@Nullable String principalName() {
		return this.principalName;
	}

	/**
	 * Whether this request indexed the session under a principal that it was not under
	 * before.
	 */
	boolean hasNewPrincipal() {
		return this.principalChanged && this.principalName != null;
	}

	// Transitions

	/**
	 * The session {@code id}, stored under {@code key}, was loaded: this request now
	 * works on it.
	 */
	void restored(String id, String key, long version, Instant lastAccessed, SessionData data) {
		this.id = id;
		this.storedId = key;
		this.key = key;
		this.keyOf = id;
		this.cookieId = id;
		this.version = version;
		this.lastAccessed = lastAccessed;
		this.created = data.created();
		this.ip = data.ip();
		this.principalName = data.principalName();
		this.attributes.restore(data.attributes());
	}

	/**
	 * No stored session applies: this is a new, empty one that nothing has been written
	 * to yet.
	 */
	void startedNew(String id, @Nullable String ip) {
		this.id = id;
		this.storedId = null;
		this.cookieId = null;
		this.dirty = false;
		this.created = this.now;
		this.lastAccessed = this.now;
		this.ip = ip;
		this.principalName = null;
		this.principalChanged = false;
		this.attributes.startNew();
	}

	/**
	 * The session a cookie named has expired, and the policy answers that before the
	 * handler.
	 */
	void expiredAnswer() {
		this.expiredAnswer = true;
	}

	/**
	 * The kill was saved; the request goes on with a new, empty session under {@code id}.
	 */
	void renewed(String id, @Nullable String ip) {
		this.killed = false;
		startedNew(id, ip);
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
	 * The store refused the new id (a collision): the session takes {@code id} instead.
	 */
	void renamed(String id) {
		this.id = id;
	}

	/**
	 * The store now holds this session under {@link #storedId} (or, if new,
	 * {@link #key()}) at {@code version}.
	 */
	void stored(long version) {
		stored(version, this.now);
	}

	/**
	 * As {@link #stored(long)}, with {@code accessed} as the access time the store
	 * recorded.
	 */
	void stored(long version, Instant accessed) {
		if (this.storedId == null) {
			this.storedId = key();
		}
		this.regenerating = false;
		this.version = version;
		this.lastAccessed = accessed;
		this.dirty = false;
		this.attributes.clear();
	}

	/** The data moved to {@link #id}, which the store now holds at {@code version}. */
	void regenerated(long version) {
		this.storedId = key();
		stored(version);
	}

	/** The store recorded this request's read-only use. */
	void touched() {
		this.lastAccessed = this.now;
	}

	/**
	 * Another request stored the session at {@code version} meanwhile: its data, with
	 * this request's changes on top.
	 */
	void rebased(long version, SessionData stored) {
		this.version = version;
		this.attributes.rebase(stored.attributes());
		if (!this.principalChanged) {
			this.principalName = stored.principalName();
		}
	}

	/**
	 * Another request regenerated the session's id while this one used it: this request's
	 * changes go to the store key {@code movedTo}, while its client keeps its cookie (it
	 * gets the new one from the request that regenerated).
	 */
	void followedTo(String movedTo) {
		this.storedId = movedTo;
	}

	/**
	 * The session left the store, by {@link #kill()}; nothing of this request is saved
	 * any more.
	 */
	void deleted() {
		this.storedId = null;
		this.regenerating = false;
		this.dirty = false;
		this.attributes.clear();
	}

	/**
	 * The session was removed by another request (killed or expired): this request's
	 * changes are dropped.
	 */
	void lost() {
		this.dirty = false;
		this.attributes.clear();
	}

	/**
	 * A save failed and the request answers with that failure: what it changed is
	 * dropped, and nothing more is saved.
	 */
	void failed() {
		this.failed = true;
		this.dirty = false;
		this.attributes.clear();
		this.regenerating = false;
	}

	// Session

	@Override
	public String getId() {
		ensureLoaded();
		return this.id;
	}

	@Override
	public boolean isNew() {
		ensureLoaded();
		return this.storedId == null;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(String key) {
		ensureLoaded();
		return (T) this.attributes.get(key);
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
		this.attributes.put(key, value, !this.initializing);
		if (!this.initializing) {
			changed();
		}
		this.lifecycle.resolvePrincipal(this, key, value);
	}

	@Override
	public @Nullable String getPrincipalName() {
		ensureLoaded();
		return this.principalName;
	}

	@Override
	public void setPrincipalName(@Nullable String principalName) {
		ensureLoaded();
		if (!Objects.equals(this.principalName, principalName)) {
			this.principalName = principalName;
			this.principalChanged = true;
			changed();
		}
	}

	@Override
	public @Nullable Object remove(String key) {
		ensureLoaded();
		Object previous = this.attributes.get(key);
		put(key, null);
		return previous;
	}

	@Override
	public boolean contains(String key) {
		ensureLoaded();
		return this.attributes.contains(key);
	}

	@Override
	public Set<String> keys() {
		ensureLoaded();
		return this.attributes.keys();
	}

	@Override
	public void kill() {
		ensureLoaded();
		if (!this.killed) {
			this.killed = true;
			this.cookieId = null;
			this.lifecycle.killed(this);
		}
	}

	@Override
	public String regenerateId() {
		ensureLoaded();
		if (this.storedId != null) {
			this.regenerating = true;
		}
		this.id = SessionIds.generate();
		changed();
		return this.id;
	}

	private void changed() {
		if (this.killed || this.failed) {
			return;
		}
		this.dirty = true;
		if (!this.id.equals(this.cookieId)) {
			this.cookieId = this.id;
			this.lifecycle.idChanged(this);
		}
	}

	@Override
	public String toString() {
		return "Session[" + (this.loaded ? SessionKeys.abbreviate(this.id) : "not loaded") + "]";
	}

}
