package io.github.webpysession.store.disk;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The files that a write replaces and a delete removes, taken off the session's name at
 * once and freed later, on a thread of their own, so that a request never waits while the
 * file system frees a file.
 * <p>
 * Freeing is where a file system does its slow work: it gives the file's blocks back and,
 * on ext4 without a journal mounted with {@code discard}, discards each of them on the
 * device and waits for it, behind every discard that the cleanup's removals queued. A
 * write therefore links the file it replaces under a temporary name before the rename
 * (which then drops no file), and a delete renames the file to one; this class unlinks
 * that name afterwards. Where the link or the rename cannot be made (a file system
 * without hard links, a full directory on a full disk), the file is replaced or deleted
 * as before, freed on the caller's thread.
 * <p>
 * The thread's queue is bounded: past {@value #QUEUE} waiting files the caller frees its
 * own. A file still waiting when the process ends keeps its temporary name, which the
 * cleanup removes as a crash's leftover.
 */
final class RetiredFiles implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(DiskSessionStore.class);

	private static final int QUEUE = 10_000;

	private final Executor executor;

	/**
	 * Files freed on a thread that starts when there are some and ends a second after.
	 */
	RetiredFiles() {
		this(new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), (task) -> {
			Thread thread = new Thread(task, "session-disk-free");
			thread.setDaemon(true);
			return thread;
		}));
	}

	/**
	 * Files freed by {@code executor}; one that rejects a file leaves it to the caller.
	 */
	RetiredFiles(Executor executor) {
		this.executor = executor;
	}

	/**
	 * Renames {@code temp} over {@code file}, keeping the file it replaces, if any,
	 * linked under a temporary name until it is freed here.
	 */
	void replace(Path file, Path temp) throws IOException {
		Path replaced = link(file);
		try {
			move(temp, file);
		}
		catch (IOException ex) {
			if (replaced != null) {
				Files.deleteIfExists(replaced); // a second name of the file, which stays
			}
			throw ex;
		}
		if (replaced != null) {
			free(replaced);
		}
	}

	/**
	 * Takes {@code file} off its name: renames it to a temporary name, which it returns
	 * for the caller to {@link #free} (out of any lock); where the rename fails, deletes
	 * it and returns null.
	 * @throws NoSuchFileException if there is no such file
	 */
	@Nullable Path detach(Path file) throws IOException {
		Path detached = SessionFiles.tempSibling(file);
		try {
			Files.move(file, detached, StandardCopyOption.ATOMIC_MOVE);
			return detached;
		}
		catch (NoSuchFileException ex) {
			throw ex;
		}
		catch (IOException | UnsupportedOperationException ex) {
			try {
				Files.delete(file);
			}
			catch (IOException deleteFailed) {
				deleteFailed.addSuppressed(ex);
				throw deleteFailed;
			}
			return null;
		}
	}

	/** Deletes {@code file}, one of the temporary names given here, on the thread. */
	void free(Path file) {
		Runnable delete = () -> delete(file);
		try {
			this.executor.execute(delete);
		}
		catch (RejectedExecutionException ex) {
			delete.run();
		}
	}

	/** Frees what waits, within 10 seconds; what is left then, the cleanup removes. */
	@Override
	public void close() {
		if (this.executor instanceof ThreadPoolExecutor pool) {
			pool.shutdown();
			try {
				pool.awaitTermination(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static @Nullable Path link(Path file) {
		Path link = SessionFiles.tempSibling(file);
		try {
			Files.createLink(link, file);
			return link;
		}
		catch (IOException | UnsupportedOperationException ex) {
			return null; // no file yet, or no second name to be had: the rename frees it
		}
	}

	private static void move(Path from, Path to) throws IOException {
		try {
			Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	private static void delete(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			logger.debug("Could not free the replaced file " + SessionFiles.describe(file) + "; the cleanup removes it",
					ex);
		}
	}

}
