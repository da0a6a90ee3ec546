package io.github.webpysession.store.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.CleanupBatches;
import io.github.webpysession.store.CleanupPace;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.store.StripedLocks;
import io.github.webpysession.store.disk.SessionFiles.Kind;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The disk store's cleanup: a walk of its folders that holds no lock but that of the one
 * file it looks at, reading only the file's header, and counts its removals in
 * {@link CleanupBatches}, resting after each batch ({@link CleanupPace}). An interrupted
 * cleanup stops at its next file.
 */
final class DiskCleanup {

	private static final Log logger = LogFactory.getLog(DiskSessionStore.class);

	/**
	 * A temporary file older than this was left by a crash and is removed by the cleanup.
	 */
	private static final Duration STALE_TEMP_AGE = Duration.ofHours(1);

	private final Path directory;

	private final StripedLocks locks;

	private final PrincipalIndex index;

	private final CleanupBatches batches;

	DiskCleanup(Path directory, StripedLocks locks, PrincipalIndex index, CleanupBatches batches) {
		this.directory = directory;
		this.locks = locks;
		this.index = index;
		this.batches = batches;
	}

	/**
	 * Removes the sessions last accessed before {@code cutoff}, the temporary files that
	 * crashes left as long ago, then the index entries whose session is gone; every other
	 * file stays.
	 */
	int deleteAccessedBefore(Instant cutoff) {
		Removals removed = new Removals();
		try (DirectoryStream<Path> folders = Files.newDirectoryStream(this.directory, SessionFiles::isOwnFolder)) {
			for (Path folder : folders) {
				if (Thread.currentThread().isInterrupted()) {
					return removed.count;
				}
				deleteAccessedBefore(folder, cutoff, removed);
			}
			if (!Thread.currentThread().isInterrupted()) {
				this.index.removeOrphans();
			}
		}
		catch (NoSuchFileException ex) {
			logger.warn("Session folder " + this.directory + " is gone; it is created again on the next write");
		}
		catch (IOException | UncheckedIOException ex) {
			throw failure("cannot list the folder", ex);
		}
		return removed.count;
	}

	/**
	 * Removes the expired sessions of one sub-folder, each holding its own lock only,
	 * counting them into {@code removed}.
	 */
	private void deleteAccessedBefore(Path folder, Instant cutoff, Removals removed) throws IOException {
		try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
			for (Path file : files) {
				if (Thread.currentThread().isInterrupted()) {
					return; // before the file's channel would fail on the interrupt
				}
				Kind kind = SessionFiles.kindOf(file);
				if (kind == Kind.TEMP) {
					deleteIfStaleTemp(file, cutoff);
				}
				else if (kind == Kind.SESSION && deleteIfAccessedBefore(file, cutoff)) {
					removed.add();
				}
			}
		}
		catch (NoSuchFileException ex) {
			// the folder went away while we listed it: nothing left to clean in it
		}
	}

	/**
	 * Deletes the session file if it was last accessed before the cutoff. The header is
	 * read first without the lock, so that a live session's file is never locked; an
	 * expired one is read again holding its lock, as an update may have replaced it
	 * meanwhile, and deleted.
	 */
	private boolean deleteIfAccessedBefore(Path file, Instant cutoff) {
		if (!isAccessedBefore(file, cutoff)) {
			return false;
		}
		return this.locks.withLock(file.getFileName().toString(), () -> {
			if (!isAccessedBefore(file, cutoff)) {
				return false;
			}
			try {
				return Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				throw failure("cannot delete " + SessionFiles.describe(file), ex);
			}
		});
	}

	private boolean isAccessedBefore(Path file, Instant cutoff) {
		try {
			byte[] header = SessionFiles.read(file, StoredSession.HEADER_BYTES);
			return header != null && lastAccessedOf(file, header).isBefore(cutoff);
		}
		catch (NoSuchFileException ex) {
			return false; // gone meanwhile
		}
		catch (IOException ex) {
			throw failure("cannot read " + SessionFiles.describe(file), ex);
		}
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

	private SessionStoreException failure(String what, Exception cause) {
		return new SessionStoreException("Disk session store in " + this.directory + ": " + what + ": " + cause, cause);
	}

	/**
	 * The count of a cleanup's removals, which ends a batch every
	 * {@link CleanupBatches#size()} of them with a rest; none holds a lock in between.
	 */
	private final class Removals {

		private final CleanupPace pace = new CleanupPace();

		private int count;

		/** Counts a removal, resting after each batch. */
		void add() {
			if (++this.count % DiskCleanup.this.batches.size() == 0) {
				this.pace.rest();
				DiskCleanup.this.batches.betweenBatches().run();
			}
		}

	}

}
