package io.github.webpysession.store.shelf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.store.StripedLocks;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.RandomAccessStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;
import org.jspecify.annotations.Nullable;

/**
 * web.py's ShelfStore: every session in one embedded key-value file, an H2 {@link MVStore} map
 * from the id to the session's {@link StoredSession#toBytes() binary form}.
 * <ul>
 * <li><b>Thread-safe.</b> Reads go straight to the map; every write of one session holds that
 * session's stripe lock, so that {@link #update} is a compare-and-set and a delete cannot be undone
 * by a concurrent update.</li>
 * <li><b>Crash-safe.</b> Every write is committed to the file before the method returns: a write
 * reported successful survives the process being killed ({@code kill -9}), and the file reopens at
 * its last commit. Commits are not forced to the disk and freed space is reused at once, so an
 * operating-system crash or a power loss may lose recent writes or leave a file that no longer
 * opens.</li>
 * <li><b>Single-process.</b> The file is locked while the store is open; a second process fails at
 * startup. Sessions shared between processes need the {@code jdbc} store.</li>
 * <li><b>Bounded size.</b> Space that deleted or rewritten sessions leave is reused at once, so the
 * file stays proportional to the live sessions: between cleanups, commits leave pages scattered over
 * partly used chunks (about 1.2 KB a session when 100 000 are created one by one), and every cleanup
 * compacts the file, which is back to tens of KB once no session is left.</li>
 * </ul>
 * Every failure of the file is a {@link SessionStoreException} naming it; a write that cannot reach
 * the file fails, and so does every later one.
 */
public final class ShelfSessionStore implements SessionStore, AutoCloseable {

	private static final String MAP_NAME = "sessions";

	/** How long a cleanup may keep writes waiting while it rewrites pages to compact the file. */
	private static final Duration COMPACTION_TIME = Duration.ofMillis(500);

	/** The most that a cleanup moves towards the start of the file. */
	private static final long COMPACTION_MOVE_BYTES = 16 * 1024 * 1024;

	/** Removals that a cleanup commits at once. */
	private static final int CLEANUP_BATCH = 1000;

	private final Path file;

	private final MVStore store;

	private final MVMap<String, byte[]> sessions;

	/*
	 * MVMap's own operations are atomic one at a time, but update and touch read the version and the
	 * data in the value, then write it back: two operations. The stripe lock of the id makes every
	 * write of a session, delete and cleanup included, one step within this JVM.
	 */
	private final StripedLocks locks = new StripedLocks(256);

	public ShelfSessionStore(Path file) {
		this.file = file.toAbsolutePath().normalize();
		this.store = open();
		try {
			this.sessions = access("cannot open the sessions",
					() -> this.store.openMap(MAP_NAME, new MVMap.Builder<String, byte[]>()
						.keyType(StringDataType.INSTANCE)
						.valueType(ByteArrayDataType.INSTANCE)));
		}
		catch (SessionStoreException ex) {
			this.store.closeImmediately();
			throw ex;
		}
	}

	private MVStore open() {
		try {
			Files.createDirectories(this.file.getParent());
		}
		catch (IOException ex) {
			throw failure("cannot create the folder", ex);
		}
		MVStore store;
		try {
			// RetryOnInterruptFilePath reopens the file when a write of an interrupted thread closes it,
			// as NIO does, instead of closing the store for good. No background writer: each commit is
			// written by the thread that asks for it, before it returns.
			store = new MVStore.Builder().fileName(RetryOnInterruptFilePath.fileName(this.file))
				.autoCommitDisabled()
				.open();
		}
		catch (MVStoreException ex) {
			if (ex.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
				throw failure("the file is in use by another process; a shelf file serves one process only, "
						+ "so set session.store=jdbc to share sessions between processes", ex);
			}
			throw failure("cannot open the file", ex);
		}
		// Freed space is reused at once, which keeps the file small under steady writes. Pages that a
		// read may still need are kept by the version it registers (see access), not by time.
		store.setRetentionTime(0);
		store.setVersionsToKeep(0);
		return store;
	}

	/** The file the sessions are kept in. */
	public Path getFile() {
		return this.file;
	}

	@Override
	public @Nullable StoredSession load(String id) {
		byte[] bytes = access("cannot read a session", () -> this.sessions.get(id));
		return (bytes != null) ? StoredSession.fromBytes(id, bytes) : null;
	}

	@Override
	public boolean create(String id, byte[] data, Instant now) {
		return write(id, () -> this.sessions.putIfAbsent(id, new StoredSession(id, data, now, 0).toBytes()) == null);
	}

	@Override
	public boolean update(String id, byte[] data, Instant now, long expectedVersion) {
		return write(id, () -> {
			StoredSession current = readable(id);
			if (current == null || current.version() != expectedVersion) {
				return false;
			}
			this.sessions.put(id, new StoredSession(id, data, now, expectedVersion + 1).toBytes());
			return true;
		});
	}

	@Override
	public void touch(String id, Instant now) {
		write(id, () -> {
			StoredSession current = readable(id);
			if (current == null) {
				return false;
			}
			this.sessions.put(id, new StoredSession(id, current.data(), now, current.version()).toBytes());
			return true;
		});
	}

	@Override
	public void delete(String id) {
		write(id, () -> this.sessions.remove(id) != null);
	}

	@Override
	public int deleteAccessedBefore(Instant cutoff) {
		int removed = access("cannot clean up", () -> {
			int count = 0;
			Cursor<String, byte[]> cursor = this.sessions.cursor(null);
			while (cursor.hasNext()) {
				String id = cursor.next();
				if (isAccessedBefore(cursor.getValue(), cutoff) && removeIfAccessedBefore(id, cutoff)) {
					count++;
					if (count % CLEANUP_BATCH == 0) {
						commit();
					}
				}
			}
			return count;
		});
		if (removed > 0) {
			commit();
			compact();
		}
		return removed;
	}

	/**
	 * Rewrites the pages that are left alone in mostly unused chunks, then moves the chunks to the
	 * start of the file and cuts its end. Without writes, MVStore would do neither on its own. No
	 * version is registered in use here: that would keep the very chunks this frees.
	 */
	private void compact() {
		guard("cannot compact the file", () -> {
			this.store.compactFile((int) COMPACTION_TIME.toMillis());
			if (this.store.getFileStore() instanceof RandomAccessStore fileStore) {
				fileStore.compactMoveChunks(100, COMPACTION_MOVE_BYTES, this.store);
			}
			return null;
		});
	}

	private boolean removeIfAccessedBefore(String id, Instant cutoff) {
		return this.locks.withLock(id, () -> {
			byte[] current = this.sessions.get(id);
			return current != null && isAccessedBefore(current, cutoff) && this.sessions.remove(id) != null;
		});
	}

	private static boolean isAccessedBefore(byte[] bytes, Instant cutoff) {
		try {
			return StoredSession.lastAccessedOf(bytes).isBefore(cutoff);
		}
		catch (UnreadableSessionException ex) {
			return false;
		}
	}

	private @Nullable StoredSession readable(String id) {
		byte[] bytes = this.sessions.get(id);
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
	 * Runs {@code change} holding the lock of {@code id} and, if it changed anything, commits. The
	 * commit runs after the lock is released, so that writers of other sessions queue on the store's
	 * commit together and one commit writes all their changes.
	 */
	private boolean write(String id, Supplier<Boolean> change) {
		boolean changed = this.locks.withLock(id, () -> access("cannot write a session", change));
		if (changed) {
			commit();
		}
		return changed;
	}

	private void commit() {
		guard("cannot write the file", this.store::commit);
		if (this.store.isClosed()) {
			// a closed store's commit writes nothing and says nothing
			throw closed("cannot write the file");
		}
	}

	private SessionStoreException closed(String what) {
		MVStoreException panic = this.store.getPanicException();
		return failure(what, (panic != null) ? panic : new IllegalStateException("the store is closed"));
	}

	/**
	 * Runs {@code action} on the map with the current version registered as in use, so that no
	 * commit meanwhile reuses the space of a page that the action may still read.
	 */
	private <T> T access(String what, Supplier<T> action) {
		return guard(what, () -> {
			MVStore.TxCounter version = this.store.registerVersionUsage();
			try {
				return action.get();
			}
			finally {
				this.store.deregisterVersionUsage(version);
			}
		});
	}

	/** Runs {@code action} on the store, reporting a failure of the file as a {@link SessionStoreException}. */
	private <T> T guard(String what, Supplier<T> action) {
		if (this.store.isClosed()) {
			throw closed(what);
		}
		try {
			return action.get();
		}
		catch (MVStoreException ex) {
			throw failure(what, ex);
		}
	}

	/** Commits what is left and closes the file; a clean close leaves nothing to recover. */
	@Override
	public void close() {
		try {
			this.store.close();
		}
		catch (MVStoreException ex) {
			throw failure("cannot close the file", ex);
		}
	}

	private SessionStoreException failure(String what, Exception cause) {
		return new SessionStoreException("Shelf session store in " + this.file + ": " + what + ": " + cause, cause);
	}

	@Override
	public String toString() {
		return "shelf session store in " + this.file;
	}

}
