package io.github.webpysession.store.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.github.webpysession.store.CleanupBatches;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;
import org.jspecify.annotations.Nullable;

/**
 * Sessions in this JVM's heap: the fastest store, lost when the application stops. For
 * tests, development, and single-instance applications whose users can log in again.
 * Sessions are indexed by principal name in a second map, whose entries leave with their
 * sessions.
 */
public class MemorySessionStore implements SessionStore {

	private final ConcurrentMap<String, StoredSession> sessions = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Set<String>> idsByPrincipal = new ConcurrentHashMap<>();

	private final CleanupBatches batches;

	public MemorySessionStore() {
		this(CleanupBatches.defaults());
	}

	/** A store whose cleanup removes sessions in {@code batches}. */
	public MemorySessionStore(CleanupBatches batches) {
		this.batches = batches;
	}

	@Override
	public @Nullable StoredSession load(String id) {
		return this.sessions.get(id);
	}

	/**
	 * Final: a subclass overrides {@link #create(String, byte[], String, Instant)}, which
	 * the lifecycle calls.
	 */
	@Override
	public final boolean create(String id, byte[] data, Instant now) {
		return create(id, data, null, now);
	}

	@Override
	public boolean create(String id, byte[] data, @Nullable String principalName, Instant now) {
		if (this.sessions.putIfAbsent(id, new StoredSession(id, data, now, 0, principalName)) != null) {
			return false;
		}
		index(principalName, id);
		return true;
	}

	/**
	 * Final: a subclass overrides {@link #update(String, byte[], String, Instant, long)},
	 * which the lifecycle calls.
	 */
	@Override
	public final boolean update(String id, byte[] data, Instant now, long expectedVersion) {
		return update(id, data, null, now, expectedVersion);
	}

	@Override
	public boolean update(String id, byte[] data, @Nullable String principalName, Instant now, long expectedVersion) {
		StoredSession[] replaced = new StoredSession[1];
		this.sessions.computeIfPresent(id, (key, stored) -> {
			if (stored.version() != expectedVersion) {
				return stored;
			}
			replaced[0] = stored;
			return new StoredSession(id, data, now, expectedVersion + 1, principalName);
		});
		if (replaced[0] == null) {
			return false;
		}
		if (!Objects.equals(replaced[0].principalName(), principalName)) {
			unindex(replaced[0]);
			index(principalName, id);
		}
		return true;
	}

	@Override
	public void touch(String id, Instant now) {
		this.sessions.computeIfPresent(id, (key, stored) -> stored.with(now, stored.version()));
	}

	@Override
	public void delete(String id) {
		StoredSession removed = this.sessions.remove(id);
		if (removed != null) {
			unindex(removed);
		}
	}

	/**
	 * Walks the map without locking it, as its iterators do: a request waits at most for
	 * the removal of one session of the same bin of the map. An interrupted cleanup stops
	 * after its batch.
	 */
	@Override
	public int deleteAccessedBefore(Instant cutoff) {
		int removed = 0;
		for (StoredSession stored : this.sessions.values()) {
			if (stored.lastAccessed().isBefore(cutoff) && this.sessions.remove(stored.id(), stored)) {
				unindex(stored);
				if (++removed % this.batches.size() == 0) {
					this.batches.betweenBatches().run();
					if (Thread.currentThread().isInterrupted()) {
						break;
					}
				}
			}
		}
		return removed;
	}

	@Override
	public List<StoredSession> findByPrincipalName(String principalName) {
		List<StoredSession> found = new ArrayList<>();
		for (String id : this.idsByPrincipal.getOrDefault(principalName, Set.of())) {
			StoredSession stored = this.sessions.get(id);
			if (stored != null && principalName.equals(stored.principalName())) {
				found.add(stored);
			}
		}
		return found;
	}

	private void index(@Nullable String principalName, String id) {
		if (principalName != null) {
			this.idsByPrincipal.computeIfAbsent(principalName, (name) -> ConcurrentHashMap.newKeySet()).add(id);
		}
	}

	private void unindex(StoredSession stored) {
		String principalName = stored.principalName();
		if (principalName != null) {
			this.idsByPrincipal.computeIfPresent(principalName, (name, ids) -> {
				ids.remove(stored.id());
				return ids.isEmpty() ? null : ids;
			});
		}
	}

	/** How many sessions are stored. */
	public int size() {
		return this.sessions.size();
	}

	@Override
	public OptionalLong count() {
		return OptionalLong.of(this.sessions.size());
	}

	@Override
	public String kind() {
		return "memory";
	}

	@Override
	public String toString() {
		return "memory session store";
	}

}
