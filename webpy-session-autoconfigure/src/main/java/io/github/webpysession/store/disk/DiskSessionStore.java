package io.github.webpysession.store.disk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

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
 * <li>Files fan out into 256 sub-folders by the first two characters of the id, so a million
 * sessions make folders of about 4 000 files.</li>
 * <li>Every write goes to a temporary file in the same sub-folder and is then renamed over the
 * session's file, so a crash never leaves a torn file: the old session stays readable.</li>
 * <li>The last access is kept in the file's own header ({@link StoredSession#toBytes()}), never
 * taken from the file system's atime, which is often mounted {@code noatime}.</li>
 * <li>{@link #update} is atomic among the threads of this JVM; two applications must not share
 * one folder (use the {@code jdbc} store for that).</li>
 * </ul>
 */
public final class DiskSessionStore implements SessionStore {

	private static final Log logger = LogFactory.getLog(DiskSessionStore.class);

	private static final String TEMP_SUFFIX = ".tmp";

	/** A temporary file older than this was left by a crash and is removed by the cleanup. */
	private static final Duration STALE_TEMP_AGE = Duration.ofHours(1);

	private final Path directory;

	private final StripedLocks locks = new StripedLocks(256);

	public DiskSessionStore(Path directory) {
		this.directory = directory.toAbsolutePath().normalize();
		try {
			Files.createDirectories(this.directory);
		}
		catch (IOException ex) {
			throw failure("cannot create the folder", ex);
		}
	}

	/** The folder the sessions are kept in. */
	public Path getDirectory() {
		return this.directory;
	}

	@Override
	public @Nullable StoredSession load(String id) {
		byte[] bytes = read(fileOf(id));
		return (bytes != null) ? StoredSession.fromBytes(id, bytes) : null;
	}

	@Override
	public boolean create(String id, byte[] data, Instant now) {
		Path file = fileOf(id);
		return this.locks.withLock(id, () -> {
			if (Files.exists(file)) {
				return false;
			}
			write(file, new StoredSession(id, data, now, 0));
			return true;
		});
	}

	@Override
	public boolean update(String id, byte[] data, Instant now, long expectedVersion) {
		Path file = fileOf(id);
		return this.locks.withLock(id, () -> {
			byte[] header = read(file, StoredSession.HEADER_BYTES);
			try {
				if (header == null || StoredSession.versionOf(header) != expectedVersion) {
					return false;
				}
			}
			catch (UnreadableSessionException ex) {
				return false;
			}
			write(file, new StoredSession(id, data, now, expectedVersion + 1));
			return true;
		});
	}

	@Override
	public void touch(String id, Instant now) {
		Path file = fileOf(id);
		this.locks.withLock(id, () -> {
			StoredSession current = loadReadable(id);
			if (current != null) {
				write(file, new StoredSession(id, current.data(), now, current.version()));
			}
			return null;
		});
	}

	@Override
	public void delete(String id) {
		Path file = fileOf(id);
		this.locks.withLock(id, () -> {
			try {
				return Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				throw failure("cannot delete " + describe(file), ex);
			}
		});
	}

	@Override
	public int deleteAccessedBefore(Instant cutoff) {
		int removed = 0;
		try (DirectoryStream<Path> folders = Files.newDirectoryStream(this.directory, Files::isDirectory)) {
			for (Path folder : folders) {
				removed += deleteAccessedBefore(folder, cutoff);
			}
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
				String name = file.getFileName().toString();
				if (name.endsWith(TEMP_SUFFIX)) {
					deleteIfStaleTemp(file);
				}
				else if (deleteIfAccessedBefore(file, name, cutoff)) {
					removed++;
				}
			}
		}
		catch (NoSuchFileException ex) {
			// the folder went away while we listed it: nothing left to clean in it
		}
		return removed;
	}

	private boolean deleteIfAccessedBefore(Path file, String id, Instant cutoff) {
		return this.locks.withLock(id, () -> {
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
				throw failure("cannot delete " + describe(file), ex);
			}
		});
	}

	/**
	 * The last access the file records; for a file too corrupt to say, when it was last written,
	 * which no access it recorded can be later than.
	 */
	private static Instant lastAccessedOf(Path file, byte[] bytes) throws IOException {
		try {
			return StoredSession.lastAccessedOf(bytes);
		}
		catch (UnreadableSessionException ex) {
			return Files.getLastModifiedTime(file).toInstant();
		}
	}

	private void deleteIfStaleTemp(Path file) {
		try {
			Instant modified = Files.getLastModifiedTime(file).toInstant();
			if (modified.isBefore(Instant.now().minus(STALE_TEMP_AGE))) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			logger.debug("Could not remove temporary file " + file, ex);
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

	private Path fileOf(String id) {
		return this.directory.resolve(id.substring(0, 2)).resolve(id);
	}

	private @Nullable byte[] read(Path file) {
		return read(file, Integer.MAX_VALUE);
	}

	/** The first {@code limit} bytes of {@code file}, or all of it if it is shorter; null if there is no such file. */
	private @Nullable byte[] read(Path file, int limit) {
		try (InputStream in = Files.newInputStream(file)) {
			return (limit == Integer.MAX_VALUE) ? in.readAllBytes() : in.readNBytes(limit);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IOException ex) {
			throw failure("cannot read " + describe(file), ex);
		}
	}

	private void write(Path file, StoredSession session) {
		Path temp = file.resolveSibling(file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
				+ TEMP_SUFFIX);
		try {
			try {
				Files.write(temp, session.toBytes());
			}
			catch (NoSuchFileException ex) {
				Files.createDirectories(file.getParent());
				Files.write(temp, session.toBytes());
			}
			try {
				Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		catch (IOException ex) {
			try {
				Files.deleteIfExists(temp);
			}
			catch (IOException cleanup) {
				ex.addSuppressed(cleanup);
			}
			throw failure("cannot write " + describe(file), ex);
		}
	}

	/** A session file's sub-folder and the start of its name: enough to find it, too little to use the id. */
	private static String describe(Path file) {
		String name = file.getFileName().toString();
		return file.getParent().getFileName() + "/" + name.substring(0, Math.min(8, name.length())) + "…";
	}

	private SessionStoreException failure(String what, Exception cause) {
		return new SessionStoreException("Disk session store in " + this.directory + ": " + what + ": " + cause, cause);
	}

	@Override
	public String toString() {
		return "disk session store in " + this.directory;
	}

}
