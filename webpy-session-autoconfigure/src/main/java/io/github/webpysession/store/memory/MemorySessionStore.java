package io.github.webpysession.store.memory;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;
import org.jspecify.annotations.Nullable;

/**
 * Sessions in this JVM's heap: the fastest store, lost when the application stops. For tests,
 * development, and single-instance applications whose users can log in again.
 */
public class MemorySessionStore implements SessionStore {

	private final ConcurrentMap<String, StoredSession> sessions = new ConcurrentHashMap<>();

	@Override
	public @Nullable StoredSession load(String id) {
		return this.sessions.get(id);
	}

	@Override
	public boolean create(String id, byte[] data, Instant now) {
		return this.sessions.putIfAbsent(id, new StoredSession(id, data, now, 0)) == null;
	}

	@Override
	public boolean update(String id, byte[] data, Instant now, long expectedVersion) {
		boolean[] updated = new boolean[1];
		this.sessions.computeIfPresent(id, (key, stored) -> {
			if (stored.version() != expectedVersion) {
				return stored;
			}
			updated[0] = true;
			return new StoredSession(id, data, now, expectedVersion + 1);
		});
		return updated[0];
	}

	@Override
	public void touch(String id, Instant now) {
		this.sessions.computeIfPresent(id,
				(key, stored) -> new StoredSession(id, stored.data(), now, stored.version()));
	}

	@Override
	public void delete(String id) {
		this.sessions.remove(id);
	}

	@Override
	public int deleteAccessedBefore(Instant cutoff) {
		int removed = 0;
		for (StoredSession stored : this.sessions.values()) {
			if (stored.lastAccessed().isBefore(cutoff) && this.sessions.remove(stored.id(), stored)) {
				removed++;
			}
		}
		return removed;
	}

	/** How many sessions are stored. */
	public int size() {
		return this.sessions.size();
	}

	@Override
	public String toString() {
		return "memory session store";
	}

}
