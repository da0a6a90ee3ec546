package io.github.webpysession.store.shelf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;

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

	static {
		FilePath.register(new RetryOnInterruptFilePath());
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

		RetryingChannel(String fileName, String mode) throws IOException {
			this.fileName = fileName;
			this.mode = mode;
			this.channel = FileUtils.open(fileName, mode);
		}

		@Override
		public int read(ByteBuffer dst, long position) throws IOException {
			int start = dst.position();
			return retrying((channel) -> channel.read(dst, position), () -> dst.position(start));
		}

		@Override
		public int write(ByteBuffer src, long position) throws IOException {
			int start = src.position();
			return retrying((channel) -> channel.write(src, position), () -> src.position(start));
		}

		@Override
		public long size() throws IOException {
			return retrying(FileChannel::size, () -> {
			});
		}

		@Override
		protected void implTruncate(long size) throws IOException {
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

		@Override
		protected void implCloseChannel() throws IOException {
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
