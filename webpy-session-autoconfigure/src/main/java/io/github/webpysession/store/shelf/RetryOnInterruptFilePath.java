package io.github.webpysession.store.shelf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.h2.store.fs.FileBaseDefault;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;
import org.h2.store.fs.FileUtils;
import org.jspecify.annotations.Nullable;

/**
 * H2's file system scheme {@value #SCHEME}: a file whose channel, once closed because a
 * thread using it was interrupted (as NIO does), is reopened, its lock taken again, and
 * the operation retried, instead of leaving the MVStore closed for good. The thread's
 * interrupt is kept for its caller. H2's own {@code retry:} scheme does the same, but
 * lives in the H2 database's jar, which the starter does not bring: H2's MVStore jar
 * alone lacks it.
 * <p>
 * Its channel cuts a large truncation short. MVStore truncates a file that a cleanup
 * emptied in one {@code ftruncate}, inside a commit that holds its store lock: on a file
 * of a million sessions, 270 ms during which every request's write waited. The channel
 * instead records the size MVStore asked for, answers it as the file's size, and cuts the
 * file down to it later, {@value #TRUNCATION_STEP_BYTES} bytes at a time outside
 * MVStore's lock ({@link #cutTail}), or at the latest when it closes. Until then the file
 * ends with bytes MVStore no longer uses, as after a process that died between a commit
 * and its truncation: MVStore opens such a file at its last commit.
 * <p>
 * Its channel never forces the file to the disk: the shelf promises that a commit
 * survives the process, which the operating system's cache already gives, not an
 * operating-system crash. MVStore forces the file while it holds the store's lock,
 * whenever a commit can shrink the file and around each move of a compaction, so every
 * other commit, and the request waiting for it, waited for the disk: hundreds of
 * milliseconds on a busy disk while the cleanup compacted.
 * <p>
 * Public only because H2 creates its file systems reflectively; not part of the starter's
 * API.
 */
public final class RetryOnInterruptFilePath extends FilePathWrapper {

	static final String SCHEME = "webpy-retry";

	/**
	 * Attempts of one operation before its failure is reported: each needs another
	 * interrupt.
	 */
	private static final int MAX_ATTEMPTS = 16;

	/**
	 * The most that one truncation cuts while MVStore's lock or the channel's is held: a
	 * few milliseconds of the file system's work, even on a busy disk.
	 */
	static final long TRUNCATION_STEP_BYTES = 4L * 1024 * 1024;

	/** The open channels, by file name, for {@link #cutTail}. */
	private static final Map<String, RetryingChannel> OPEN = new ConcurrentHashMap<>();

	static {
		FilePath.register(new RetryOnInterruptFilePath());
	}

	/**
	 * Cuts the end of {@code file} down to the size MVStore truncated it to, one step at
	 * a time with {@code betweenSteps} run between them, if its open channel put that
	 * off.
	 */
	static void cutTail(Path file, Runnable betweenSteps) throws IOException {
		RetryingChannel channel = OPEN.get(file.toString());
		while (channel != null && channel.cutStep()) {
			betweenSteps.run();
		}
	}

	/**
	 * The name of {@code file} in this file system, for {@code MVStore.Builder.fileName}.
	 */
	static String fileName(Path file) {
		return SCHEME + ":" + file;
	}

	@Override
	public String getScheme() {
		return SCHEME;
	}

	@Override
	public FileChannel open(String mode) throws IOException {
		return new RetryingChannel(this.name.substring(SCHEME.length() + 1), mode);
	}

	/** One operation on the current channel. */
	@FunctionalInterface
	private interface Operation<T> {

		T on(FileChannel channel) throws IOException;

	}

	private static final class RetryingChannel extends FileBaseDefault {

		private final String fileName;

		private final String mode;

		private volatile FileChannel channel;

		private volatile @Nullable RetryingLock lock;

		/**
		 * Held by every write, truncation and size, so that a cut of the tail never races
		 * with a write into it; fair, so that a write waiting for a step of the cut goes
		 * before the next step.
		 */
		private final ReentrantLock tail = new ReentrantLock(true);

		/**
		 * The size MVStore truncated the file to while the file is still longer, or -1;
		 * guarded by {@link #tail}.
		 */
		private long truncatedTo = -1;

		RetryingChannel(String fileName, String mode) throws IOException {
			this.fileName = fileName;
			this.mode = mode;
			this.channel = FileUtils.open(fileName, mode);
			OPEN.put(fileName, this);
		}

		@Override
		public int read(ByteBuffer dst, long position) throws IOException {
			int start = dst.position();
			return retrying((channel) -> channel.read(dst, position), () -> dst.position(start));
		}

		@Override
		public int write(ByteBuffer src, long position) throws IOException {
			int start = src.position();
			this.tail.lock();
			try {
				int written = retrying((channel) -> channel.write(src, position), () -> src.position(start));
				if (this.truncatedTo >= 0) {
					this.truncatedTo = Math.max(this.truncatedTo, position + written);
				}
				return written;
			}
			finally {
				this.tail.unlock();
			}
		}

		@Override
		public long size() throws IOException {
			this.tail.lock();
			try {
				return (this.truncatedTo >= 0) ? this.truncatedTo : physicalSize();
			}
			finally {
				this.tail.unlock();
			}
		}

		/**
		 * Truncates at once what takes one step; puts a longer cut off, for
		 * {@link #cutStep}.
		 */
		@Override
		protected void implTruncate(long size) throws IOException {
			this.tail.lock();
			try {
				if (this.truncatedTo >= 0) {
					this.truncatedTo = Math.min(this.truncatedTo, size);
				}
				else if (physicalSize() - size > TRUNCATION_STEP_BYTES) {
					this.truncatedTo = size;
				}
				else {
					truncatePhysically(size);
				}
			}
			finally {
				this.tail.unlock();
			}
		}

		/**
		 * Cuts one step of a truncation put off.
		 * @return whether more is left to cut
		 */
		boolean cutStep() throws IOException {
			this.tail.lock();
			try {
				if (this.truncatedTo < 0) {
					return false;
				}
				long target = Math.max(this.truncatedTo, physicalSize() - TRUNCATION_STEP_BYTES);
				truncatePhysically(target);
				if (target == this.truncatedTo) {
					this.truncatedTo = -1;
					return false;
				}
				return true;
			}
			finally {
				this.tail.unlock();
			}
		}

		private long physicalSize() throws IOException {
			return retrying(FileChannel::size, () -> {
			});
		}

		private void truncatePhysically(long size) throws IOException {
			retrying((channel) -> channel.truncate(size), () -> {
			});
		}

		/** Nothing: see the class's description. */
		@Override
		public void force(boolean metaData) {
		}

		@Override
		public synchronized @Nullable FileLock tryLock(long position, long size, boolean shared) throws IOException {
			FileLock held = retrying((channel) -> channel.tryLock(position, size, shared), () -> {
			});
			if (held == null) {
				return null;
			}
			RetryingLock lock = new RetryingLock(held);
			this.lock = lock;
			return lock;
		}

		/** Cuts what is left of a truncation put off, then closes. */
		@Override
		protected void implCloseChannel() throws IOException {
			OPEN.remove(this.fileName, this);
			this.tail.lock();
			try {
				if (this.truncatedTo >= 0) {
					try {
						this.channel.truncate(this.truncatedTo);
					}
					catch (IOException ex) {
						// the tail stays, unused: the next open reads the file at its
						// last commit all the same
					}
					this.truncatedTo = -1;
				}
			}
			finally {
				this.tail.unlock();
			}
			this.channel.close();
		}

		/**
		 * Runs {@code operation}; if a closed channel stops it while this file is open,
		 * rewinds the buffer, reopens the file and runs it again, with the interrupt
		 * cleared until done.
		 */
		private <T> T retrying(Operation<T> operation, Runnable rewind) throws IOException {
			boolean interrupted = false;
			try {
				for (int attempt = 1;; attempt++) {
					FileChannel current = this.channel;
					try {
						return operation.on(current);
					}
					catch (ClosedChannelException ex) {
						if (!isOpen() || attempt == MAX_ATTEMPTS) {
							throw ex;
						}
						interrupted |= Thread.interrupted();
						reopen(current);
						rewind.run();
					}
				}
			}
			finally {
				if (interrupted) {
					Thread.currentThread().interrupt();
				}
			}
		}

		/**
		 * Replaces {@code closed} with a new channel holding the same lock, unless
		 * another thread did.
		 */
		private synchronized void reopen(FileChannel closed) throws IOException {
			if (this.channel != closed) {
				return;
			}
			FileChannel reopened = FileUtils.open(this.fileName, this.mode);
			RetryingLock lock = this.lock;
			if (lock != null && lock.isValidBeforeClose()) {
				FileLock again = reopened.tryLock(lock.position(), lock.size(), lock.isShared());
				if (again == null) {
					reopened.close();
					throw new IOException("Lost the lock of " + this.fileName + " while reopening it");
				}
				lock.held = again;
			}
			this.channel = reopened;
		}

		/** The lock the store holds, moved to each new channel. */
		private final class RetryingLock extends FileLock {

			private volatile FileLock held;

			private volatile boolean released;

			RetryingLock(FileLock held) {
				super(RetryingChannel.this, held.position(), held.size(), held.isShared());
				this.held = held;
			}

			/**
			 * Whether the store still means to hold it, though its channel may have been
			 * closed since.
			 */
			boolean isValidBeforeClose() {
				return !this.released;
			}

			@Override
			public boolean isValid() {
				return !this.released && this.held.isValid();
			}

			@Override
			public void release() throws IOException {
				this.released = true;
				if (this.held.isValid()) {
					this.held.release();
				}
			}

		}

	}

}
