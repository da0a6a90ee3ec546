package io.github.webpysession.store.shelf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.github.webpysession.store.SessionStoreException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;
import org.jspecify.annotations.Nullable;

/**
 * The shelf's MVStore file, opened again by itself after a failure closed it.
 * <p>
 * MVStore closes itself for good when a write to its file fails (no space left, an I/O
 * error), keeping the file at its last commit. The next operation after such a failure
 * opens the file again, in this process, which still holds no other handle on it: one
 * thread does, while the others wait for it, and each caller fails with a
 * {@link SessionStoreException} as long as the file cannot be opened. Only
 * {@link #close()} closes it for good.
 * <p>
 * Opening the file commits at once (see {@link #anchor}), and a commit that fails for
 * want of space can leave a file that MVStore cannot open at all: opened again by every
 * request on a full disk, a thousand times a second, a file lost every session
 * (ShelfSessionStoreFaultTests, H2 2.4). So while the file system has less than
 * {@value #SPACE_TO_REOPEN_BYTES} bytes free, the file is opened again at most once per
 * {@link #REOPEN_INTERVAL}: enough for a disk that the file itself filled with chunks it
 * no longer uses, which the new opening writes over.
 */
final class ShelfFile implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ShelfSessionStore.class);

	/** The map of the sessions in the file. */
	static final String MAP_NAME = "sessions";

	/**
	 * The index of the sessions by principal name in the file: a map whose keys are the
	 * {@link #principalPrefix prefix of a name} followed by a session's id, with empty
	 * values.
	 */
	static final String PRINCIPALS_MAP_NAME = "principals";

	private final Path file;

	/**
	 * The free space past which the file is opened again at once: far more than the
	 * commit of an opening writes.
	 */
	static final long SPACE_TO_REOPEN_BYTES = 256 * 1024;

	/** How often the file is opened again on a file system with less space free. */
	static final Duration REOPEN_INTERVAL = Duration.ofSeconds(1);

	private final ReentrantLock reopening = new ReentrantLock();

	/**
	 * The opening that a failure closed, once noticed, and since when it is waited for
	 * ({@link System#nanoTime}): the failure, or the last attempt to open the file again
	 * on a nearly full file system; both guarded by {@link #reopening}.
	 */
	private @Nullable Shelf failed;

	private long waitingSince;

	private volatile Shelf current;

	private volatile boolean closed;

	/**
	 * One opening of the file: the store, its map from id to stored session, and its
	 * index of the sessions by principal name, which every write changes in the same
	 * commit as the sessions.
	 */
	record Shelf(MVStore store, MVMap<String, byte[]> sessions, MVMap<String, byte[]> principals) {
	}

	/** Opens {@code file}, creating it and its folder (owner-only) if missing. */
	ShelfFile(Path file) {
		this.file = file;
		this.current = open();
	}

	Path path() {
		return this.file;
	}

	/**
	 * What the keys of the index for {@code principalName} start with: the SHA-256 digest
	 * of the name in hex, of a fixed length, so that no name can be mistaken for the
	 * start of another's key.
	 */
	static String principalPrefix(String principalName) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(principalName.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java platform has SHA-256", ex);
		}
	}

	/** The file, open: opened again if a failure has closed it since. */
	Shelf shelf(String what) {
		Shelf shelf = this.current;
		if (!shelf.store().isClosed()) {
			return shelf;
		}
		this.reopening.lock();
		try {
			if (this.closed) {
				throw closed(shelf, what);
			}
			if (this.current != shelf) {
				return this.current; // another thread reopened it meanwhile
			}
			MVStoreException panic = shelf.store().getPanicException();
			try {
				waitForSpace(shelf);
				this.current = open();
				this.failed = null; // nothing keeps the closed opening's pages in memory
			}
			catch (SessionStoreException ex) {
				throw failure(what + "; a failure closed the file (" + panic + ") and it cannot be opened again",
						(ex.getCause() != null) ? ex.getCause() : ex);
			}
			logger.warn("Shelf session store in " + this.file + ": opened the file again, which a failure had closed ("
					+ panic + ")");
			return this.current;
		}
		finally {
			this.reopening.unlock();
		}
	}

	/**
	 * Fails, touching nothing, while the file system is nearly full and {@code closed}
	 * failed, or was last tried, less than {@link #REOPEN_INTERVAL} ago; guarded by
	 * {@link #reopening}.
	 */
	private void waitForSpace(Shelf closed) {
		long now = System.nanoTime();
		if (this.failed != closed) {
			this.failed = closed;
			this.waitingSince = now;
		}
		long free;
		try {
			free = Files.getFileStore(this.file).getUsableSpace();
		}
		catch (IOException ex) {
			return; // the opening will say what is wrong
		}
		if (free >= SPACE_TO_REOPEN_BYTES) {
			return;
		}
		if (now - this.waitingSince < REOPEN_INTERVAL.toNanos()) {
			throw failure("waiting for space",
					new IOException("the file system has " + free + " bytes free; the file is opened again once "
							+ SPACE_TO_REOPEN_BYTES + " are, or every " + REOPEN_INTERVAL.toSeconds() + " s"));
		}
		this.waitingSince = now;
	}

	/**
	 * Runs {@code action} on {@code shelf} with its current version registered as in use,
	 * so that no commit meanwhile reuses the space of a page that the action may still
	 * read.
	 */
	<T> T access(Shelf shelf, String what, Supplier<T> action) {
		return guard(shelf, what, () -> {
			MVStore.TxCounter version = shelf.store().registerVersionUsage();
			try {
				return action.get();
			}
			finally {
				shelf.store().deregisterVersionUsage(version);
			}
		});
	}

	/**
	 * Runs {@code action} on {@code shelf}, reporting a failure of the file as a
	 * {@link SessionStoreException}.
	 */
	<T> T guard(Shelf shelf, String what, Supplier<T> action) {
		if (shelf.store().isClosed()) {
			throw closed(shelf, what);
		}
		try {
			return action.get();
		}
		catch (MVStoreException ex) {
			throw failure(what, ex);
		}
	}

	/**
	 * Writes the changes made to {@code shelf} to the file; a failure closes it until the
	 * next {@link #shelf}.
	 */
	void commit(Shelf shelf) {
		guard(shelf, "cannot write the file", shelf.store()::commit);
		if (shelf.store().isClosed()) {
			// a closed store's commit writes nothing and says nothing
			throw closed(shelf, "cannot write the file");
		}
	}

	private Shelf open() {
		createIfMissing();
		MVStore store;
		try {
			// RetryOnInterruptFilePath reopens the file when a write of an interrupted
			// thread closes it, as NIO does,
			// instead of closing the store for good. No background writer: each commit is
			// written by
			// the thread that asks for it, before it returns.
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
		// Freed space is reused at once, which keeps the file small under steady writes.
		// Pages that a
		// read may still need are kept by the version it registers (see access), not by
		// time.
		store.setRetentionTime(0);
		store.setVersionsToKeep(0);
		MVMap<String, byte[]> sessions;
		MVMap<String, byte[]> principals;
		String what = "cannot open the sessions";
		try {
			sessions = store.openMap(MAP_NAME, mapOfBytes());
			principals = store.openMap(PRINCIPALS_MAP_NAME, mapOfBytes());
			what = "cannot write the file";
			anchor(store);
		}
		catch (MVStoreException ex) {
			store.closeImmediately();
			throw failure(what, ex);
		}
		return new Shelf(store, sessions, principals);
	}

	private static MVMap.Builder<String, byte[]> mapOfBytes() {
		return new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE)
			.valueType(ByteArrayDataType.INSTANCE);
	}

	/**
	 * Commits a new chunk at once, so that the newest chunk in the file describes the
	 * file as this opening found it. A file left by a failed write (part of a chunk
	 * written over space freed just before) otherwise reopens correctly once, but after a
	 * clean close it reopened at one of its first versions, every later session lost (H2
	 * 2.4, after "No space left on device"). A crash in the middle of a commit can leave
	 * the same kind of file, so every opening does it. A file that cannot take this
	 * commit (still full, read-only) cannot be opened.
	 */
	private static void anchor(MVStore store) {
		store.setStoreVersion(store.getStoreVersion());
		store.commit();
		if (store.isClosed()) {
			MVStoreException panic = store.getPanicException();
			throw (panic != null) ? panic
					: DataUtils.newMVStoreException(DataUtils.ERROR_CLOSED, "closed while opening");
		}
	}

	/**
	 * Creates a missing folder 0700 and a missing file 0600 where the file system has
	 * POSIX permissions, since the file holds every session; what exists is left as it
	 * is.
	 */
	private void createIfMissing() {
		boolean posix = this.file.getFileSystem().supportedFileAttributeViews().contains("posix");
		Path folder = this.file.getParent();
		try {
			if (!Files.isDirectory(folder)) {
				Files.createDirectories(folder.getParent());
				try {
					Files.createDirectory(folder, ownerOnly(posix, "rwx------"));
				}
				catch (FileAlreadyExistsException ex) {
					if (!Files.isDirectory(folder)) {
						throw ex;
					}
				}
			}
		}
		catch (IOException ex) {
			throw failure("cannot create the folder", ex);
		}
		try {
			Files.createFile(this.file, ownerOnly(posix, "rw-------"));
		}
		catch (FileAlreadyExistsException ex) {
			// opened as it is
		}
		catch (IOException ex) {
			throw failure("cannot create the file", ex);
		}
	}

	private static FileAttribute<?>[] ownerOnly(boolean posix, String permissions) {
		return posix
				? new FileAttribute<?>[] {
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)) }
				: new FileAttribute<?>[0];
	}

	private SessionStoreException closed(Shelf shelf, String what) {
		MVStoreException panic = shelf.store().getPanicException();
		return failure(what, (panic != null) ? panic : new IllegalStateException("the store is closed"));
	}

	SessionStoreException failure(String what, Throwable cause) {
		return new SessionStoreException("Shelf session store in " + this.file + ": " + what + ": " + cause, cause);
	}

	/**
	 * Commits what is left and closes the file for good; a clean close leaves nothing to
	 * recover.
	 */
	@Override
	public void close() {
		Shelf shelf;
		this.reopening.lock();
		try {
			this.closed = true;
			shelf = this.current;
		}
		finally {
			this.reopening.unlock();
		}
		try {
			shelf.store().close();
		}
		catch (MVStoreException ex) {
			throw failure("cannot close the file", ex);
		}
	}

}
