package io.github.webpysession.store.shelf;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.CleanupBatches;
import io.github.webpysession.store.CleanupPace;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.store.StripedLocks;
import io.github.webpysession.store.shelf.ShelfFile.Shelf;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.jspecify.annotations.Nullable;

/**
 * The shelf's cleanup, in batches that never hold what a request needs for long: each
 * batch removes at most {@link CleanupBatches#size()} expired sessions, holding only the
 * lock of the one it removes, and commits them on its own; the compaction that follows
 * rewrites and moves the file's pages a dose of {@value #DOSE_BYTES} bytes at a time,
 * each dose one short hold of the store's lock, which writers' commits wait for. After
 * each batch and dose the cleanup rests ({@link CleanupPace}); an interrupted cleanup
 * stops before its next batch or dose, its removals committed, and leaves the rest of the
 * compaction to a later cleanup.
 */
final class ShelfCleanup {

	private static final Log logger = LogFactory.getLog(ShelfSessionStore.class);

	/**
	 * What one dose of the compaction rewrites or moves: about a millisecond of writing.
	 */
	private static final int DOSE_BYTES = 1024 * 1024;

	/** The longest that the doses of one compaction take together. */
	private static final Duration COMPACTION_TIME = Duration.ofSeconds(30);

	/** The fill rate below which chunks are rewritten, MVStore's own default. */
	private static final int TARGET_FILL_RATE = 90;

	/** How many entries a batch looks at for each removal it may make. */
	private static final int SCANNED_PER_REMOVAL = 16;

	private static final int PREFIX_LENGTH = ShelfFile.principalPrefix("").length();

	private final ShelfFile file;

	private final StripedLocks locks;

	private final CleanupBatches batches;

	ShelfCleanup(ShelfFile file, StripedLocks locks, CleanupBatches batches) {
		this.file = file;
		this.locks = locks;
		this.batches = batches;
	}

	/**
	 * Removes the sessions last accessed before {@code cutoff} with their index entries,
	 * and any index entry whose session is gone, then compacts the file.
	 * @return how many sessions were removed
	 */
	int deleteAccessedBefore(Instant cutoff) {
		CleanupPace pace = new CleanupPace();
		int removed = inBatches(pace, ShelfFile.Shelf::sessions,
				(shelf, id, bytes) -> isAccessedBefore(bytes, cutoff) && removeIfAccessedBefore(shelf, id, cutoff));
		if (Thread.currentThread().isInterrupted()) {
			return removed;
		}
		int orphans = inBatches(pace, ShelfFile.Shelf::principals, this::removeIfOrphan);
		if ((removed + orphans > 0 || isFragmented()) && !Thread.currentThread().isInterrupted()) {
			compact(pace);
		}
		return removed;
	}

	/**
	 * Whether less of the file than {@link #TARGET_FILL_RATE} is in use: space that a
	 * compaction would give back, as one cut short leaves it (its time limit, an
	 * interrupt, a failure, the process stopping), so that a cleanup that removes nothing
	 * resumes it. Not the chunks' own fill rate, which stays low in a compacted file of
	 * few sessions (28 % at 16 KB).
	 */
	private boolean isFragmented() {
		Shelf shelf = this.file.shelf("cannot compact the file");
		return this.file.guard(shelf, "cannot compact the file", () -> shelf.store().getFillRate() < TARGET_FILL_RATE);
	}

	/**
	 * Walks the map in key order, a batch at a time, and applies {@code removal} to each
	 * entry: a batch ends after {@link CleanupBatches#size()} removals or
	 * {@value #SCANNED_PER_REMOVAL} times as many entries, and commits what it removed;
	 * the walk stops early if the thread is interrupted.
	 */
	private int inBatches(CleanupPace pace, Function<Shelf, MVMap<String, byte[]>> map, Removal removal) {
		String what = "cannot clean up";
		int removed = 0;
		@Nullable String after = null;
		do {
			Shelf shelf = this.file.shelf(what);
			String from = after;
			int[] count = new int[1];
			after = this.file.access(shelf, what, () -> {
				int scanned = 0;
				Cursor<String, byte[]> cursor = map.apply(shelf).cursor(from);
				while (cursor.hasNext()) {
					String key = cursor.next();
					if (key.equals(from)) {
						continue;
					}
					if (removal.remove(shelf, key, cursor.getValue())) {
						count[0]++;
					}
					if (count[0] == this.batches.size() || ++scanned == this.batches.size() * SCANNED_PER_REMOVAL) {
						return key;
					}
				}
				return null;
			});
			if (count[0] > 0) {
				this.file.commit(shelf);
				removed += count[0];
			}
			rest(pace);
		}
		while (after != null && !Thread.currentThread().isInterrupted());
		return removed;
	}

	private boolean removeIfAccessedBefore(Shelf shelf, String id, Instant cutoff) {
		return this.locks.withLock(id, () -> {
			byte[] current = shelf.sessions().get(id);
			if (current == null || !isAccessedBefore(current, cutoff) || shelf.sessions().remove(id) == null) {
				return false;
			}
			ShelfSessionStore.unindex(shelf, ShelfSessionStore.principalNameOf(current, id), id);
			return true;
		});
	}

	/**
	 * Removes the index entry {@code key} if its session is gone, which no write of this
	 * store leaves: a repair.
	 */
	private boolean removeIfOrphan(Shelf shelf, String key, byte[] value) {
		String id = key.substring(Math.min(key.length(), PREFIX_LENGTH));
		return !shelf.sessions().containsKey(id) && this.locks.withLock(id,
				() -> !shelf.sessions().containsKey(id) && shelf.principals().remove(key) != null);
	}

	/**
	 * Rewrites the pages left alone in mostly unused chunks, then moves the chunks to the
	 * start of the file and cuts its end: without writes, MVStore would do neither on its
	 * own. Each dose holds the store's lock for one dose's writing; a rewrite that finds
	 * the lock busy for 10 ms, or nothing to do, ends the rewrites, and a move that does
	 * not shrink the file ends the compaction, which a later cleanup resumes. No version
	 * is registered in use here: that would keep the very chunks this frees.
	 * <p>
	 * A compaction that fails (no space left; H2 2.4's own assertion on some fragmented
	 * files, where the JVM runs with assertions enabled) leaves the file larger, not the
	 * cleanup failed: its removals are committed already, and a failure that closed the
	 * file is repaired by the next operation.
	 */
	private void compact(CleanupPace pace) {
		try {
			Shelf shelf = this.file.shelf("cannot compact the file");
			long deadline = System.nanoTime() + COMPACTION_TIME.toNanos();
			boolean rewritten = true;
			while (rewritten && goesOn(deadline)) {
				rewritten = this.file.guard(shelf, "cannot compact the file",
						() -> shelf.store().compact(TARGET_FILL_RATE, DOSE_BYTES));
				this.file.commit(shelf);
				rest(pace);
			}
			while (goesOn(deadline) && moveChunks(shelf)) {
				rest(pace);
			}
		}
		catch (SessionStoreException ex) {
			logger.warn(ex.getMessage() + "; the file keeps its size until a later cleanup compacts it");
		}
		catch (RuntimeException ex) {
			if (!(ex.getCause() instanceof InterruptedException)) {
				throw ex;
			}
			// interrupted while a dose waited for the store's lock, which MVStore reports
			// so
			Thread.currentThread().interrupt();
		}
		if (!Thread.currentThread().isInterrupted()) {
			cutTail();
		}
	}

	/**
	 * Whether the compaction goes on: time is left, and the thread is not interrupted.
	 */
	private static boolean goesOn(long deadline) {
		return System.nanoTime() < deadline && !Thread.currentThread().isInterrupted();
	}

	/** Rests after a batch or dose, then runs the batches' hook. */
	private void rest(CleanupPace pace) {
		pace.rest();
		this.batches.betweenBatches().run();
	}

	/**
	 * Cuts the file down to the size the compaction left it at, a step at a time: MVStore
	 * would have done it in one truncation holding its store lock, which the file's
	 * channel put off ({@link RetryOnInterruptFilePath}).
	 */
	private void cutTail() {
		try {
			RetryOnInterruptFilePath.cutTail(this.file.path(), this.batches.betweenBatches());
		}
		catch (IOException ex) {
			logger.warn("Shelf session store in " + this.file.path() + ": cannot truncate the compacted file (" + ex
					+ "); it keeps its size until it is closed");
		}
	}

	/**
	 * Moves a dose of chunks towards the start of the file and cuts its end, holding the
	 * store's lock: the longest holds of a cleanup, hence one dose at a time, after the
	 * rewrites. MVStore would force the file to the disk around each move, still holding
	 * it; the shelf's file system forces nothing ({@link RetryOnInterruptFilePath}).
	 * @return whether the file shrank
	 */
	private boolean moveChunks(Shelf shelf) {
		return this.file.guard(shelf, "cannot compact the file", () -> {
			MVStore store = shelf.store();
			if (!(store.getFileStore() instanceof RandomAccessStore fileStore)) {
				return false;
			}
			long before = fileStore.size();
			fileStore.compactMoveChunks(100, DOSE_BYTES, store);
			return fileStore.size() < before;
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

	/** What a batch does with one entry of the map it walks. */
	@FunctionalInterface
	private interface Removal {

		/** Removes the entry {@code key} if it must go, answering whether it did. */
		boolean remove(Shelf shelf, String key, byte[] value);

	}

}
