package io.github.webpysession.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;

/**
 * Where sessions live between requests: web.py's {@code Store}. One implementation per
 * kind of storage; a user's own bean of this type replaces the one {@code session.store}
 * chooses.
 * <p>
 * Stores hold opaque bytes and never judge expiry: the caller compares
 * {@link StoredSession#lastAccessed()} with its timeout. Writes are atomic per session,
 * and {@link #update} is a compare-and-set on the version, so that concurrent requests of
 * one session can merge their changes instead of overwriting each other's. Every method
 * reports a failure of the storage itself as a {@link SessionStoreException}.
 */
public interface SessionStore {

	/** The session stored under {@code id}, or null when there is none. */
	@Nullable StoredSession load(String id);

	/**
	 * {@link #load}, by a request that uses the session at {@code now}. A store whose
	 * {@link #touch} is a round trip of its own may record the use in the same operation,
	 * where the recorded one is older than {@code touchAfter} and not older than
	 * {@code timeout}; it still answers the session as it was, and the {@link #touch} of
	 * {@code now} that the caller then sends costs nothing. By default, {@link #load}.
	 */
	default @Nullable StoredSession loadForUse(String id, Instant now, Duration touchAfter, Duration timeout) {
		return load(id);
	}

	/**
	 * Stores a new session at version 0, atomically and only if {@code id} is free.
	 * @return false if a session with this id exists already (a collision: pick another
	 * id)
	 */
	boolean create(String id, byte[] data, Instant now);

	/**
	 * Replaces the data of a session, only if its version is still
	 * {@code expectedVersion}, and increments the version. {@code now} is the access time
	 * to record: the lifecycle passes the stored one again while a read would not touch
	 * it yet, so that a write need not change the indexed access time of a database row.
	 * @return false if the session has changed since it was loaded, or is gone
	 */
	boolean update(String id, byte[] data, Instant now, long expectedVersion);

	/**
	 * {@link #create(String, byte[], Instant)}, indexed under {@code principalName} in
	 * the same atomic write, so that {@link #findByPrincipalName} finds it. A store
	 * without an index ignores the name.
	 */
	default boolean create(String id, byte[] data, @Nullable String principalName, Instant now) {
		return create(id, data, now);
	}

	/**
	 * {@link #update(String, byte[], Instant, long)}, indexed under {@code principalName}
	 * (or under none, where null) in the same atomic write. A store without an index
	 * ignores the name.
	 */
	default boolean update(String id, byte[] data, @Nullable String principalName, Instant now, long expectedVersion) {
		return update(id, data, now, expectedVersion);
	}

	/**
	 * The stored sessions indexed under {@code principalName}, expired ones included (the
	 * caller judges expiry). Never a session indexed under another name: an index entry
	 * that outlived its session, or that its session no longer matches, is not answered.
	 * @throws UnsupportedOperationException if this store keeps no index
	 */
	default List<StoredSession> findByPrincipalName(String principalName) {
		throw new UnsupportedOperationException(this + " keeps no index of sessions by principal name");
	}

	/**
	 * Records a read-only use of the session at {@code now}; a session that is gone stays
	 * gone.
	 */
	void touch(String id, Instant now);

	/** Removes the session; removing one that does not exist is not an error. */
	void delete(String id);

	/**
	 * Removes every session last accessed before {@code cutoff}. Runs on the cleanup
	 * schedule, never inside a request.
	 * @return how many were removed
	 */
	int deleteAccessedBefore(Instant cutoff);

	/**
	 * What operations call this kind of store ({@code memory}, {@code disk},
	 * {@code jdbc}, {@code shelf}): the {@code store} tag of its meters and the
	 * {@code store} its health shows. One fixed word per kind, never a path or a URL, so
	 * that a tag has few values.
	 */
	default String kind() {
		return getClass().getSimpleName();
	}

	/**
	 * How many entries the store holds (sessions, and the markers regenerated sessions
	 * leave until the cleanup removes them), where the store knows without a scan (the
	 * size of a map); empty otherwise. Read at every scrape of a meter and every health
	 * check, so never a scan of a table or a folder.
	 */
	default OptionalLong count() {
		return OptionalLong.empty();
	}

	/**
	 * {@link #count()}, by a scan where the store must (a {@code COUNT(*)}). Called after
	 * each cleanup run, on its thread, never inside a request; empty where the store
	 * cannot count at all.
	 */
	default OptionalLong countByScan() {
		return count();
	}

	/**
	 * Checks that the store serves now, as a health check asks: by default, loads a key
	 * that no session has. A store overrides it where a better check exists (a folder
	 * that can be written to).
	 * @throws SessionStoreException naming the cause, if the store cannot be used
	 */
	default void check() {
		load(PROBE_KEY);
	}

	/**
	 * The store itself, beneath whatever meters or observes it: what events name as their
	 * source.
	 */
	default SessionStore unwrap() {
		return this;
	}

	/** The key {@link #check()} loads: of the form of a key, and never generated. */
	String PROBE_KEY = "0".repeat(64);

}
