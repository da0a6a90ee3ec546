package io.github.webpysession.web;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.github.webpysession.Session;
import io.github.webpysession.serializer.SessionData;
import io.github.webpysession.store.SessionLocks;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * One request's view of its session: the data, loaded on first use, and what this request
 * changed. The {@link SessionInterceptor} loads and saves it.
 */
final class RequestSession implements Session {

	private final SessionInterceptor lifecycle;

	final HttpServletRequest request;

	final HttpServletResponse response;

	/** The id the request's cookie carries, read when first needed; see {@link #requested()}. */
	private SessionCookie.@Nullable RequestedId requested;

	private boolean cookieRead;

	/** When the request started: the time it judges expiry by and records as the last access. */
	final Instant now;

	private boolean loaded;

	/** The lock on {@link #requestedId()} this request holds, with {@code session.lock}. */
	SessionLocks.@Nullable Lease lease;

	private boolean initializing;

	String id = "";

	/** False once the session is in the store under {@link #id}. */
	boolean isNew = true;

	/** Whether a new session has something worth storing. */
	boolean dirty;

	boolean killed;

	/** The id the client's cookie carries, or null while it carries none. */
	private @Nullable String cookieId;

	/** The id the stored data must move away from, after {@link #regenerateId()}. */
	@Nullable String replacedId;

	Instant created = Instant.EPOCH;

	@Nullable String ip;

	long version;

	Instant lastAccessed = Instant.EPOCH;

	Map<String, Object> attributes = new HashMap<>();

	/** Keys this request put (to a value) or removed (to null), for merging with concurrent writes. */
	final Map<String, @Nullable Object> changes = new HashMap<>();

	RequestSession(SessionInterceptor lifecycle, HttpServletRequest request, HttpServletResponse response,
			Instant now) {
		this.lifecycle = lifecycle;
		this.request = request;
		this.response = response;
		this.now = now;
	}

	/**
	 * The well-formed (and correctly signed) id from the request's cookie, or null; the cookie is
	 * read on first need, so that a request that never touches its session never parses it.
	 */
	SessionCookie.@Nullable RequestedId requested() {
		if (!this.cookieRead) {
			this.cookieRead = true;
			this.requested = this.lifecycle.readCookie(this.request);
		}
		return this.requested;
	}

	@Nullable String requestedId() {
		SessionCookie.RequestedId requested = requested();
		return (requested != null) ? requested.id() : null;
	}

	boolean isLoaded() {
		return this.loaded;
	}

	void ensureLoaded() {
		if (!this.loaded) {
			this.lifecycle.lock(this);
			this.loaded = true;
			this.lifecycle.load(this);
		}
	}

	/** Makes this the stored session {@code id}. */
	void attach(String id, long version, Instant lastAccessed, SessionData data) {
		this.id = id;
		this.cookieId = id;
		this.isNew = false;
		this.version = version;
		this.lastAccessed = lastAccessed;
		this.created = data.created();
		this.ip = data.ip();
		this.attributes = new HashMap<>(data.attributes());
	}

	/** Makes this a new, empty session that nothing has been written to yet. */
	void startNew(String id, @Nullable String ip) {
		this.id = id;
		this.cookieId = null;
		this.isNew = true;
		this.dirty = false;
		this.created = this.now;
		this.lastAccessed = this.now;
		this.ip = ip;
		this.attributes = new HashMap<>();
		this.changes.clear();
	}

	/** Runs {@code initializer} with writes that fill the new session without making it dirty. */
	void initialize(Runnable initializer) {
		this.initializing = true;
		try {
			initializer.run();
		}
		finally {
			this.initializing = false;
		}
	}

	/** Records that the store now holds this session at {@code version}. */
	void stored(long version) {
		this.isNew = false;
		this.version = version;
		this.lastAccessed = this.now;
		this.dirty = false;
		this.changes.clear();
	}

	/** Forgets what this request changed, after a save that failed or found the session gone. */
	void abandonChanges() {
		this.dirty = false;
		this.changes.clear();
		this.replacedId = null;
	}

	/** Replaces the data with what another request stored meanwhile, with this request's changes on top. */
	void rebase(long version, SessionData stored) {
		this.version = version;
		this.attributes = new HashMap<>(stored.attributes());
		this.changes.forEach(this::apply);
	}

	SessionData data() {
		return new SessionData(this.created, this.ip, this.attributes);
	}

	@Override
	public String getId() {
		ensureLoaded();
		return this.id;
	}

	@Override
	public boolean isNew() {
		ensureLoaded();
		return this.isNew;
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
		apply(key, value);
		if (!this.initializing) {
			this.changes.put(key, value);
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

	private void apply(String key, @Nullable Object value) {
		if (value != null) {
			this.attributes.put(key, value);
		}
		else {
			this.attributes.remove(key);
		}
	}

	@Override
	public boolean contains(String key) {
		ensureLoaded();
		return this.attributes.containsKey(key);
	}

	@Override
	public Set<String> keys() {
		ensureLoaded();
		return Set.copyOf(this.attributes.keySet());
	}

	@Override
	public void kill() {
		ensureLoaded();
		if (!this.killed) {
			this.killed = true;
			this.lifecycle.killed(this);
		}
	}

	@Override
	public String regenerateId() {
		ensureLoaded();
		if (!this.isNew && this.replacedId == null) {
			this.replacedId = this.id;
		}
		this.id = SessionIds.generate();
		this.isNew = (this.replacedId == null);
		changed();
		return this.id;
	}

	private void changed() {
		if (this.killed) {
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
		return "Session[" + (this.loaded ? this.id.substring(0, Math.min(8, this.id.length())) + "…" : "not loaded")
				+ "]";
	}

}
