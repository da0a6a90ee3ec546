package io.github.webpysession.store;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * {@link SessionLocks} within this JVM, for the memory, disk and shelf stores. A
 * session's lock exists only while a request holds or awaits it, so memory does not grow
 * with the number of sessions; waiters are served first come, first served.
 */
public final class LocalSessionLocks implements SessionLocks {

	private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

	@Override
	public @Nullable Lease tryAcquire(String id, Duration maxWait) {
		Entry entry = this.entries.compute(id, (key, existing) -> ((existing != null) ? existing : new Entry()).join());
		boolean acquired = false;
		try {
			acquired = entry.semaphore.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			if (!acquired) {
				leave(id);
			}
		}
		if (!acquired) {
			return null;
		}
		AtomicBoolean released = new AtomicBoolean();
		return () -> {
			if (released.compareAndSet(false, true)) {
				entry.semaphore.release();
				leave(id);
			}
		};
	}

	private void leave(String id) {
		this.entries.computeIfPresent(id, (key, entry) -> entry.leave());
	}

	/** How many sessions have a lock that a request holds or awaits. */
	public int size() {
		return this.entries.size();
	}

	/**
	 * A session's lock and how many requests hold or await it; counted inside the map's
	 * compute.
	 */
	private static final class Entry {

		final Semaphore semaphore = new Semaphore(1, true);

		private int users;

		Entry join() {
			this.users++;
			return this;
		}

		@Nullable Entry leave() {
			return (--this.users > 0) ? this : null;
		}

	}

}
