package io.github.webpysession.store.shelf;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Function;

import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.CleanupBatches;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.store.StripedLocks;
import io.github.webpysession.store.shelf.ShelfFile.Shelf;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.jspecify.annotations.Nullable;

/**
 * web.py's ShelfStore: every session in one embedded key-value file, an H2
 * {@link MVStore} map from the id to the session's {@link StoredSession#toBytes() binary
 * form}.
 * <ul>
 * <li><b>Thread-safe.</b> Reads go straight to the map; every write of one session holds
 * that session's stripe lock, so that {@link #update} is a compare-and-set and a delete
 * cannot be undone by a concurrent update.</li>
 * <li><b>Indexed by principal name.</b> A second map has a key per session of a
 * principal, which every write changes in the same commit as the session's, so that the
 * file reopens with both or neither. A find answers only sessions whose own principal
 * name is the one asked for.</li>
 * <li><b>Crash-safe.</b> Every write is committed to the file before the method returns:
 * a write reported successful survives the process being killed ({@code kill -9}), and
 * the file reopens at its last commit. Nothing is forced to the disk (not even by the
 * cleanup's compaction, which moves chunks within the file) and freed space is reused at
 * once, so an operating-system crash or a power loss may lose recent writes or leave a
 * file that no longer opens.</li>
 * <li><b>Single-process.</b> The file is locked while the store is open; a second process
 * fails at startup. Sessions shared between processes need the {@code jdbc} store.</li>
 * <li><b>Bounded size.</b> Space that deleted or rewritten sessions leave is reused at
 * once, so the file stays proportional to the live sessions: between cleanups, commits
 * leave pages scattered over partly used chunks (about 1.2 KB a session when 100 000 are
 * created one by one), and every cleanup compacts the file, which is back to tens of KB
 * once no session is left.</li>
 * </ul>
 * Every failure of the file is a {@link SessionStoreException} naming it. A write that
 * cannot reach the file (no space left) fails, MVStore closes the file at its last
 * commit, and the next operation opens it again ({@link ShelfFile}): the store recovers
 * by itself once the fault is gone, with every write that was reported successful.
 */
public final class ShelfSessionStore implements SessionStore, AutoCloseable {

	private static final byte[] NO_VALUE = new byte[0];

	private final ShelfFile file;

	/*
	 * MVMap's own operations are atomic one at a time, but update and touch read the
	 * version and the data in the value, then write it back: two operations. The stripe
	 * lock of the id makes every write of a session, delete and cleanup included, one
	 * step within this JVM.
	 */
	private final StripedLocks locks = new StripedLocks(256);

	private final ShelfCleanup cleanup;

	public ShelfSessionStore(Path file) {
		this(file, CleanupBatches.defaults());
	}

	/** A store whose cleanup removes sessions in {@code batches}. */
	public ShelfSessionStore(Path file, CleanupBatches batches) {
		this.file = new ShelfFile(file.toAbsolutePath().normalize());
		this.cleanup = new ShelfCleanup(this.file, this.locks, batches);
	}

	/** The file the sessions are kept in. */
	public Path getFile() {
		return this.file.path();
	}

	@Override
	public @Nullable StoredSession load(String id) {
		String what = "cannot read a session";
		Shelf shelf = this.file.shelf(what);
		byte[] bytes = this.file.access(shelf, what, () -> shelf.sessions().get(id));
		return (bytes != null) ? StoredSession.fromBytes(id, bytes) : null;
	}

	@Override
	public boolean create(String id, byte[] data, Instant now) {
		return create(id, data, null, now);
	}

	@Override
	public boolean create(String id, byte[] data, @Nullable String principalName, Instant now) {
		return write(id, (shelf) -> {
			if (shelf.sessions()
				.putIfAbsent(id, new StoredSession(id, data, now, 0, principalName).toBytes()) != null) {
				return false;
			}
			index(shelf, principalName, id);
			return true;
		});
	}

	@Override
	public boolean update(String id, byte[] data, Instant now, long expectedVersion) {
		return update(id, data, null, now, expectedVersion);
	}

	@Override
	public boolean update(String id, byte[] data, @Nullable String principalName, Instant now, long expectedVersion) {
		return write(id, (shelf) -> {
			StoredSession current = readable(shelf.sessions(), id);
			if (current == null || current.version() != expectedVersion) {
				return false;
			}
			shelf.sessions().put(id, new StoredSession(id, data, now, expectedVersion + 1, principalName).toBytes());
			if (!Objects.equals(current.principalName(), principalName)) {
				unindex(shelf, current.principalName(), id);
			}
			index(shelf, principalName, id);
			return true;
		});
	}

	/**
	 * The stored sessions indexed under {@code principalName} whose own principal name it
	 * is. An entry whose session is gone, unreadable or of another name (which no write
	 * of this store leaves) is removed.
	 */
	@Override
	public List<StoredSession> findByPrincipalName(String principalName) {
		String what = "cannot find the sessions of a principal";
		Shelf shelf = this.file.shelf(what);
		String prefix = ShelfFile.principalPrefix(principalName);
		List<String> ids = this.file.access(shelf, what, () -> {
			List<String> indexed = new ArrayList<>();
			Cursor<String, byte[]> cursor = shelf.principals().cursor(prefix);
			while (cursor.hasNext()) {
				String key = cursor.next();
				if (!key.startsWith(prefix)) {
					break;
				}
				indexed.add(key.substring(prefix.length()));
			}
			return indexed;
		});
		List<StoredSession> found = new ArrayList<>();
		for (String id : ids) {
			StoredSession session = matching(this.file.access(shelf, what, () -> shelf.sessions().get(id)), id,
					principalName);
			if (session == null) {
				session = removeUnlessItMatches(prefix, principalName, id);
			}
			if (session != null) {
				found.add(session);
			}
		}
		return found;
	}

	/**
	 * Looks at the session again holding its lock: answers it if it now matches the
	 * entry, else removes the entry.
	 */
	private @Nullable StoredSession removeUnlessItMatches(String prefix, String principalName, String id) {
		StoredSession[] matched = new StoredSession[1];
		write(id, (shelf) -> {
			matched[0] = matching(shelf.sessions().get(id), id, principalName);
			return matched[0] == null && shelf.principals().remove(prefix + id) != null;
		});
		return matched[0];
	}

	/**
	 * The session in {@code bytes} if it is readable and of {@code principalName}, else
	 * null.
	 */
	private static @Nullable StoredSession matching(byte @Nullable [] bytes, String id, String principalName) {
		StoredSession session = readable(bytes, id);
		return (session != null && principalName.equals(session.principalName())) ? session : null;
	}

	@Override
	public void touch(String id, Instant now) {
		write(id, (shelf) -> {
			StoredSession current = readable(shelf.sessions(), id);
			if (current == null) {
				return false;
			}
			shelf.sessions().put(id, current.with(now, current.version()).toBytes());
			return true;
		});
	}

	@Override
	public void delete(String id) {
		write(id, (shelf) -> {
			byte[] removed = shelf.sessions().remove(id);
			if (removed == null) {
				return false;
			}
			unindex(shelf, principalNameOf(removed, id), id);
			return true;
		});
	}

	private static void index(Shelf shelf, @Nullable String principalName, String id) {
		if (principalName != null) {
			shelf.principals().putIfAbsent(ShelfFile.principalPrefix(principalName) + id, NO_VALUE);
		}
	}

	static void unindex(Shelf shelf, @Nullable String principalName, String id) {
		if (principalName != null) {
			shelf.principals().remove(ShelfFile.principalPrefix(principalName) + id);
		}
	}

	static @Nullable String principalNameOf(byte[] bytes, String id) {
		StoredSession session = readable(bytes, id);
		return (session != null) ? session.principalName() : null;
	}

	/**
	 * Removes the sessions last accessed before {@code cutoff} with their index entries,
	 * and any index entry whose session is gone, then compacts the file, in batches that
	 * each hold the lock of one session at a time ({@link ShelfCleanup}).
	 */
	@Override
	public int deleteAccessedBefore(Instant cutoff) {
		return this.cleanup.deleteAccessedBefore(cutoff);
	}

	private static @Nullable StoredSession readable(MVMap<String, byte[]> sessions, String id) {
		return readable(sessions.get(id), id);
	}

	private static @Nullable StoredSession readable(byte @Nullable [] bytes, String id) {
		if (bytes == null) {
			return null;
		}
		try {
			return StoredSession.fromBytes(id, bytes);
		}
		catch (UnreadableSessionException ex) {
			return null;
		}
	}

	/**
	 * Runs {@code change} holding the lock of {@code id} and, if it changed anything,
	 * commits. The commit runs after the lock is released, so that writers of other
	 * sessions queue on the store's commit together and one commit writes all their
	 * changes. The file is taken inside the lock, so that a writer that waited while the
	 * file was opened again reads and writes the new opening.
	 */
	private boolean write(String id, Function<Shelf, Boolean> change) {
		String what = "cannot write a session";
		@Nullable Shelf changed = this.locks.withLock(id, () -> {
			Shelf shelf = this.file.shelf(what);
			return this.file.access(shelf, what, () -> change.apply(shelf)) ? shelf : null;
		});
		if (changed != null) {
			this.file.commit(changed);
		}
		return changed != null;
	}

	/**
	 * Commits what is left and closes the file for good; a clean close leaves nothing to
	 * recover.
	 */
	@Override
	public void close() {
		this.file.close();
	}

	/** The size of the file's map of sessions, which MVStore keeps. */
	@Override
	public OptionalLong count() {
		String what = "cannot count the sessions";
		Shelf shelf = this.file.shelf(what);
		return OptionalLong.of(this.file.access(shelf, what, () -> shelf.sessions().sizeAsLong()));
	}

	@Override
	public String kind() {
		return "shelf";
	}

	@Override
	public String toString() {
		return "shelf session store in " + this.file.path();
	}

}
