package io.github.webpysession.store.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.github.webpysession.store.SessionKeys;
import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.store.StripedLocks;
import io.github.webpysession.store.disk.SessionFiles.Kind;
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

	/**
	 * A temporary file older than this was left by a crash and is removed by the cleanup.
	 */
	private static final Duration STALE_TEMP_AGE = Duration.ofHours(1);

	private final Path directory;

	private final SessionFiles files;

	private final StripedLocks locks = new StripedLocks(256);

	private final PrincipalIndex index;

	public DiskSessionStore(Path directory) {
		this.directory = directory.toAbsolutePath().normalize();
		this.files = new SessionFiles(this.directory);
		this.index = new PrincipalIndex(this.files, this.locks);
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
			StoredSession current = loadReadable(id);
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
	 * Removes the sessions last accessed before {@code cutoff}, the temporary files that
	 * crashes left as long ago, then the index entries whose session is gone; every other
	 * file stays.
	 */
	@Override
	public int deleteAccessedBefore(Instant cutoff) {
		int removed = 0;
		try (DirectoryStream<Path> folders = Files.newDirectoryStream(this.directory, SessionFiles::isOwnFolder)) {
			for (Path folder : folders) {
				removed += deleteAccessedBefore(folder, cutoff);
			}
			this.index.removeOrphans();
		}
		catch (NoSuchFileException ex) {
			logger.warn("Session folder " + this.directory + " is gone; it is created again on the next write");
		}
		catch (IOException | UncheckedIOException ex) {
			throw failure("cannot list the folder", ex);
		}
		return removed;
	}

	private int deleteAccessedBefore(Path folder, Instant cutoff) throws IOException {
		int removed = 0;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
			for (Path file : files) {
				Kind kind = SessionFiles.kindOf(file);
				if (kind == Kind.TEMP) {
					deleteIfStaleTemp(file, cutoff);
				}
				else if (kind == Kind.SESSION && deleteIfAccessedBefore(file, cutoff)) {
					removed++;
				}
			}
		}
		catch (NoSuchFileException ex) {
			// the folder went away while we listed it: nothing left to clean in it
		}
		return removed;
	}

	private boolean deleteIfAccessedBefore(Path file, Instant cutoff) {
		return this.locks.withLock(file.getFileName().toString(), () -> {
			byte[] header = read(file, StoredSession.HEADER_BYTES);
			if (header == null) {
				return false;
			}
			try {
				if (!lastAccessedOf(file, header).isBefore(cutoff)) {
					return false;
				}
				return Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				throw failure("cannot delete " + SessionFiles.describe(file), ex);
			}
		});
	}

	/**
	 * The last access the file records; for a file too corrupt to say, when it was last
	 * written, which no access it recorded can be later than.
	 */
	private static Instant lastAccessedOf(Path file, byte[] bytes) throws IOException {
		try {
			return StoredSession.lastAccessedOf(bytes);
		}
		catch (UnreadableSessionException ex) {
			return Files.getLastModifiedTime(file).toInstant();
		}
	}

	/**
	 * Deletes a temporary file last written before the cutoff, and long enough ago that
	 * no write is still at it.
	 */
	private static void deleteIfStaleTemp(Path file, Instant cutoff) {
		try {
			Instant modified = Files.getLastModifiedTime(file).toInstant();
			if (modified.isBefore(cutoff) && modified.isBefore(Instant.now().minus(STALE_TEMP_AGE))) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			logger.debug("Could not remove temporary file " + SessionFiles.describe(file), ex);
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
