package io.github.webpysession.store.shelf;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Function;

import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.store.StripedLocks;
import io.github.webpysession.store.shelf.ShelfFile.Shelf;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.RandomAccessStore;
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
 * the file reopens at its last commit. Commits are not forced to the disk and freed space
 * is reused at once, so an operating-system crash or a power loss may lose recent writes
 * or leave a file that no longer opens.</li>
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

	private static final Log logger = LogFactory.getLog(ShelfSessionStore.class);

	/**
	 * How long a cleanup may keep writes waiting while it rewrites pages to compact the
	 * file.
	 */
	private static final Duration COMPACTION_TIME = Duration.ofMillis(500);

	/** The most that a cleanup moves towards the start of the file. */
	private static final long COMPACTION_MOVE_BYTES = 16 * 1024 * 1024;

	/** Removals that a cleanup commits at once. */
	private static final int CLEANUP_BATCH = 1000;

	private static final byte[] NO_VALUE = new byte[0];

	private static final int PREFIX_LENGTH = ShelfFile.principalPrefix("").length();

	private final ShelfFile file;

	/*
	 * MVMap's own operations are atomic one at a time, but update and touch read the
	 * version and the data in the value, then write it back: two operations. The stripe
	 * lock of the id makes every write of a session, delete and cleanup included, one
	 * step within this JVM.
	 */
	private final StripedLocks locks = new StripedLocks(256);

	public ShelfSessionStore(Path file) {
		this.file = new ShelfFile(file.toAbsolutePath().normalize());
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

	private static void unindex(Shelf shelf, @Nullable String principalName, String id) {
		if (principalName != null) {
			shelf.principals().remove(ShelfFile.principalPrefix(principalName) + id);
		}
	}

	private static @Nullable String principalNameOf(byte[] bytes, String id) {
		StoredSession session = readable(bytes, id);
		return (session != null) ? session.principalName() : null;
	}

	/**
	 * Removes the sessions last accessed before {@code cutoff} with their index entries,
	 * and any index entry whose session is gone, then compacts the file.
	 */
	@Override
	public int deleteAccessedBefore(Instant cutoff) {
		String what = "cannot clean up";
		Shelf shelf = this.file.shelf(what);
		int removed = this.file.access(shelf, what, () -> {
			int count = 0;
			Cursor<String, byte[]> cursor = shelf.sessions().cursor(null);
			while (cursor.hasNext()) {
				String id = cursor.next();
				if (isAccessedBefore(cursor.getValue(), cutoff) && removeIfAccessedBefore(shelf, id, cutoff)) {
					count++;
					if (count % CLEANUP_BATCH == 0) {
						this.file.commit(shelf);
					}
				}
			}
			return count;
		});
		int orphans = this.file.access(shelf, what, () -> removeOrphans(shelf));
		if (removed + orphans > 0) {
			this.file.commit(shelf);
			compact(shelf);
		}
		return removed;
	}

	/**
	 * Rewrites the pages that are left alone in mostly unused chunks, then moves the
	 * chunks to the start of the file and cuts its end. Without writes, MVStore would do
	 * neither on its own. No version is registered in use here: that would keep the very
	 * chunks this frees.
	 * <p>
	 * A compaction that fails (no space left; H2 2.4's own assertion on some fragmented
	 * files, where the JVM runs with assertions enabled) leaves the file larger, not the
	 * cleanup failed: its removals are committed already, and a failure that closed the
	 * file is repaired by the next operation.
	 */
	private void compact(Shelf shelf) {
		try {
			this.file.guard(shelf, "cannot compact the file", () -> {
				shelf.store().compactFile((int) COMPACTION_TIME.toMillis());
				if (shelf.store().getFileStore() instanceof RandomAccessStore fileStore) {
					fileStore.compactMoveChunks(100, COMPACTION_MOVE_BYTES, shelf.store());
				}
				return null;
			});
		}
		catch (SessionStoreException ex) {
			logger.warn(ex.getMessage() + "; the file keeps its size until a later cleanup compacts it");
		}
	}

	private boolean removeIfAccessedBefore(Shelf shelf, String id, Instant cutoff) {
		return this.locks.withLock(id, () -> {
			byte[] current = shelf.sessions().get(id);
			if (current == null || !isAccessedBefore(current, cutoff) || shelf.sessions().remove(id) == null) {
				return false;
			}
			unindex(shelf, principalNameOf(current, id), id);
			return true;
		});
	}

	/**
	 * Removes the index entries whose session is gone, which no write of this store
	 * leaves: a repair.
	 */
	private int removeOrphans(Shelf shelf) {
		int count = 0;
		Cursor<String, byte[]> cursor = shelf.principals().cursor(null);
		while (cursor.hasNext()) {
			String key = cursor.next();
			String id = key.substring(Math.min(key.length(), PREFIX_LENGTH));
			if (!shelf.sessions().containsKey(id) && this.locks.withLock(id,
					() -> !shelf.sessions().containsKey(id) && shelf.principals().remove(key) != null)) {
				count++;
			}
		}
		return count;
	}

	private static boolean isAccessedBefore(byte[] bytes, Instant cutoff) {
		try {
			return StoredSession.lastAccessedOf(bytes).isBefore(cutoff);
		}
		catch (UnreadableSessionException ex) {
			return false;
		}
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
