package io.github.webpysession.web;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

import io.github.webpysession.serializer.SessionData;
import org.jspecify.annotations.Nullable;

/**
 * What a request knows of its session against the store: the id and the key the store
 * holds it under, the version and access time last seen there, the data, and what this
 * request changed on them. The {@link SessionLifecycle} moves it through the transitions
 * below, each named for what happened in the store; {@link RequestSession} makes the
 * changes its handler asks for. The request's own progress (loading, the lock, a failed
 * save) is not here: {@link RequestSession} keeps it.
 */
final class SessionState {

	/**
	 * When the request started: the time a new session is created at and a stored use
	 * recorded at.
	 */
	private final Instant now;

	/** The session's id, as the client knows it once this response arrives. */
	private String id = "";

	/**
	 * The key the store keeps this session's data under, or null while it is not stored:
	 * the {@link SessionIds#digest digest} of {@link #id}, except after
	 * {@link #regenerate}, until the data has moved, and after the data moved away under
	 * this request, which then follows it without telling its client.
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

	SessionState(Instant now) {
		this.now = now;
	}

	// What the lifecycle reads

	String id() {
		return this.id;
	}

	@Nullable String storedId() {
		return this.storedId;
	}

	/** Whether the store holds no data of this session yet. */
	boolean isNew() {
		return this.storedId == null;
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

	// What the handler reads

	@Nullable Object get(String key) {
		return this.attributes.get(key);
	}

	boolean contains(String key) {
		return this.attributes.contains(key);
	}

	Set<String> keys() {
		return this.attributes.keys();
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
	 * The kill was saved; the request goes on with a new, empty session under {@code id}.
	 */
	void renewed(String id, @Nullable String ip) {
		this.killed = false;
		startedNew(id, ip);
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
	 * The session left the store, by a kill; nothing of this request is saved any more.
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

	/** A save failed: what this request changed is dropped. */
	void dropped() {
		this.dirty = false;
		this.attributes.clear();
		this.regenerating = false;
	}

	// Changes the handler makes

	/**
	 * Puts (or, with null, removes) an attribute; {@code change} says whether it is a
	 * change of this request rather than the filling of a new session.
	 */
	void put(String key, @Nullable Object value, boolean change) {
		this.attributes.put(key, value, change);
	}

	/** Sets the principal name; whether it differed. */
	boolean principalNamed(@Nullable String principalName) {
		if (Objects.equals(this.principalName, principalName)) {
			return false;
		}
		this.principalName = principalName;
		this.principalChanged = true;
		return true;
	}

	/**
	 * The session is killed: its client's cookie is to be cleared.
	 * @return false if it was killed already
	 */
	boolean kill() {
		if (this.killed) {
			return false;
		}
		this.killed = true;
		this.cookieId = null;
		return true;
	}

	/**
	 * The session takes the new {@code id}, its data moving there at the next save if it
	 * is stored.
	 */
	void regenerate(String id) {
		if (this.storedId != null) {
			this.regenerating = true;
		}
		this.id = id;
	}

	/**
	 * This request changed the session, which is now worth storing.
	 * @return whether the client's cookie must now carry {@link #id}: true once for each
	 * id, so that the lifecycle sets the cookie then
	 */
	boolean changed() {
		this.dirty = true;
		if (this.id.equals(this.cookieId)) {
			return false;
		}
		this.cookieId = this.id;
		return true;
	}

}
