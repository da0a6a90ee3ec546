package io.github.webpysession.store.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.github.webpysession.store.CleanupBatches;
import io.github.webpysession.store.SessionKeys;
import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.store.StripedLocks;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * web.py's DiskStore: one file per session in a folder.
 * <ul>
 * <li>Files fan out into 256 sub-folders by the first two characters of the id, so a
 * million sessions make folders of about 4 000 files.</li>
 * <li>Every write goes to a temporary file in the same sub-folder and is then renamed
 * over the session's file, so a crash never leaves a torn file: the old session stays
 * readable. A write that fails (a full or read-only disk) leaves nothing behind, and the
 * next one tries again.</li>
 * <li>The last access is kept in the file's own header ({@link StoredSession#toBytes()}),
 * never taken from the file system's atime, which is often mounted {@code noatime}.</li>
 * <li>Sessions are indexed by principal name in a folder of empty files
 * ({@link PrincipalIndex}), which survives restarts as the sessions do. A session's file,
 * which keeps its principal name in its header, is the truth, and its entry is written
 * before it and removed after it, so that a crash in between never makes a session
 * unfindable; an entry its session no longer matches is not answered, and is removed when
 * found and by the cleanup.</li>
 * <li>Only the owner can read sessions (0600 files in 0700 folders on POSIX), and the
 * store, its cleanup included, touches no file whose name it did not give
 * ({@link SessionFiles}).</li>
 * <li>{@link #update} is atomic among the threads of this JVM; two applications must not
 * share one folder (use the {@code jdbc} store for that).</li>
 * </ul>
 */
public final class DiskSessionStore implements SessionStore {

	private static final Log logger = LogFactory.getLog(DiskSessionStore.class);

	private final Path directory;

	private final SessionFiles files;

	/**
	 * Enough stripes that a request seldom waits for the cleanup, which holds the stripe
	 * of each expired session while it deletes the file: a stripe is shared by one live
	 * session in {@value #STRIPES}, not one in 256.
	 */
	private static final int STRIPES = 4096;

	private final StripedLocks locks = new StripedLocks(STRIPES);

	/**
	 * How many bytes an update reads of a session's file to compare its version: the
	 * header and a principal name of usual length, not the data.
	 */
	private static final int HEAD_BYTES = 512;

	private final PrincipalIndex index;

	private final DiskCleanup cleanup;

	public DiskSessionStore(Path directory) {
		this(directory, CleanupBatches.defaults());
	}

	/** A store whose cleanup removes sessions in {@code batches}. */
	public DiskSessionStore(Path directory, CleanupBatches batches) {
		this.directory = directory.toAbsolutePath().normalize();
		this.files = new SessionFiles(this.directory);
		this.index = new PrincipalIndex(this.files, this.locks);
		this.cleanup = new DiskCleanup(this.directory, this.locks, this.index, batches);
		try {
			this.files.createFolder(this.directory);
		}
		catch (IOException ex) {
			throw failure("cannot create the folder", ex);
		}
	}

	/** The folder the sessions are kept in. */
	public Path getDirectory() {
		return this.directory;
	}

	/**
	 * The session stored under {@code id}; null also for an id this store never keeps, as
	 * no file has that name.
	 */
	@Override
	public @Nullable StoredSession load(String id) {
		if (!SessionFiles.isId(id)) {
			return null;
		}
		byte[] bytes = read(this.files.fileOf(id), Integer.MAX_VALUE);
		return (bytes != null) ? StoredSession.fromBytes(id, bytes) : null;
	}

	/**
	 * @throws IllegalArgumentException if {@code id} is not 32 to 128 lowercase hex
	 * digits, which name its file
	 */
	@Override
	public boolean create(String id, byte[] data, Instant now) {
		return create(id, data, null, now);
	}

	/**
	 * @throws IllegalArgumentException if {@code id} is not 32 to 128 lowercase hex
	 * digits, which name its file
	 */
	@Override
	public boolean create(String id, byte[] data, @Nullable String principalName, Instant now) {
		if (!SessionFiles.isId(id)) {
			throw new IllegalArgumentException("A disk session store keeps ids of 32 to 128 lowercase hex digits, "
					+ "which name their files; not '" + SessionKeys.abbreviate(id) + "'");
		}
		Path file = this.files.fileOf(id);
		return this.locks.withLock(id, () -> {
			if (Files.exists(file)) {
				return false;
			}
			index(principalName, id);
			write(file, new StoredSession(id, data, now, 0, principalName), principalName);
			return true;
		});
	}

	@Override
	public boolean update(String id, byte[] data, Instant now, long expectedVersion) {
		return update(id, data, null, now, expectedVersion);
	}

	@Override
	public boolean update(String id, byte[] data, @Nullable String principalName, Instant now, long expectedVersion) {
		if (!SessionFiles.isId(id)) {
			return false;
		}
		Path file = this.files.fileOf(id);
		return this.locks.withLock(id, () -> {
			StoredSession current = readableHead(file, id);
			if (current == null || current.version() != expectedVersion) {
				return false;
			}
			boolean moved = !Objects.equals(current.principalName(), principalName);
			index(principalName, id);
			write(file, new StoredSession(id, data, now, expectedVersion + 1, principalName),
					moved ? principalName : null);
			if (moved) {
				unindex(current.principalName(), id);
			}
			return true;
		});
	}

	/**
	 * The stored sessions whose entry is under {@code principalName} and whose file names
	 * it. An entry whose session is gone or names another principal is removed; one whose
	 * file is unreadable is left to the cleanup, which removes it with the file.
	 */
	@Override
	public List<StoredSession> findByPrincipalName(String principalName) {
		try {
			return this.index.find(principalName, this::load);
		}
		catch (IOException | UncheckedIOException ex) {
			throw failure("cannot read the index of a principal", ex);
		}
	}

	@Override
	public void touch(String id, Instant now) {
		if (!SessionFiles.isId(id)) {
			return;
		}
		Path file = this.files.fileOf(id);
		this.locks.withLock(id, () -> {
			StoredSession current = loadReadable(id);
			if (current != null) {
				write(file, current.with(now, current.version()), null);
			}
			return null;
		});
	}

	@Override
	public void delete(String id) {
		if (!SessionFiles.isId(id)) {
			return;
		}
		Path file = this.files.fileOf(id);
		this.locks.withLock(id, () -> {
			StoredSession current = loadReadable(id);
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				throw failure("cannot delete " + SessionFiles.describe(file), ex);
			}
			if (current != null) {
				unindex(current.principalName(), id);
			}
			return null;
		});
	}

	/**
	 * The session in {@code file} without its data, read from the file's first
	 * {@value #HEAD_BYTES} bytes unless its principal name is longer; null if there is
	 * none or it is unreadable.
	 */
	/**
	 * Removes the sessions last accessed before {@code cutoff}, the temporary files that
	 * crashes left as long ago, then the index entries whose session is gone; every other
	 * file stays ({@link DiskCleanup}).
	 */
	@Override
	public int deleteAccessedBefore(Instant cutoff) {
		return this.cleanup.deleteAccessedBefore(cutoff);
	}

	private @Nullable StoredSession readableHead(Path file, String id) {
		byte[] prefix = read(file, HEAD_BYTES);
		if (prefix == null) {
			return null;
		}
		try {
			StoredSession head = StoredSession.headOf(id, prefix);
			return (head != null) ? head : loadReadable(id);
		}
		catch (UnreadableSessionException ex) {
			return null;
		}
	}

	private @Nullable StoredSession loadReadable(String id) {
		try {
			return load(id);
		}
		catch (UnreadableSessionException ex) {
			return null;
		}
	}

	private @Nullable byte[] read(Path file, int limit) {
		try {
			return SessionFiles.read(file, limit);
		}
		catch (IOException ex) {
			throw failure("cannot read " + SessionFiles.describe(file), ex);
		}
	}

	/**
	 * Writes {@code session} to {@code file}. If that fails, removes the entry under
	 * {@code newEntry} that was written for it, if not null, so as to leave nothing
	 * behind.
	 */
	private void write(Path file, StoredSession session, @Nullable String newEntry) {
		try {
			this.files.write(file, session.toBytes());
		}
		catch (IOException ex) {
			if (newEntry != null) {
				try {
					this.index.remove(newEntry, session.id());
				}
				catch (IOException cleanup) {
					ex.addSuppressed(cleanup);
				}
			}
			throw failure("cannot write " + SessionFiles.describe(file), ex);
		}
	}

	/**
	 * Indexes session {@code id} under {@code principalName}, if not null, before its
	 * file is written.
	 */
	private void index(@Nullable String principalName, String id) {
		if (principalName != null) {
			try {
				this.index.add(principalName, id);
			}
			catch (IOException ex) {
				throw failure("cannot write the index entry of session " + SessionKeys.abbreviate(id), ex);
			}
		}
	}

	/**
	 * Removes the entry of session {@code id} under {@code principalName}, if not null,
	 * after its file has left that name. A failure fails nothing: it leaves an entry that
	 * no find answers, and that a find of the name, or the cleanup once the session is
	 * gone, removes.
	 */
	private void unindex(@Nullable String principalName, String id) {
		if (principalName != null) {
			try {
				this.index.remove(principalName, id);
			}
			catch (IOException ex) {
				logger.debug("Could not remove the index entry of session " + SessionKeys.abbreviate(id), ex);
			}
		}
	}

	private SessionStoreException failure(String what, Exception cause) {
		return new SessionStoreException("Disk session store in " + this.directory + ": " + what + ": " + cause, cause);
	}

	@Override
	public String kind() {
		return "disk";
	}

	/** The folder can be written to, and a session file read. */
	@Override
	public void check() {
		if (!Files.isWritable(this.directory)) {
			throw failure("the folder is not writable", new AccessDeniedException(this.directory.toString()));
		}
		SessionStore.super.check();
	}

	@Override
	public String toString() {
		return "disk session store in " + this.directory;
	}

}
