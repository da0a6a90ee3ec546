package io.github.webpysession.store;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Exclusive locks on session ids, so that with {@code session.lock} the requests of one
 * session run one at a time, like PHP's file sessions: a read-modify-write handler then
 * never loses an update to a concurrent request of the same session.
 * <p>
 * {@link LocalSessionLocks} serves stores used by a single JVM. A store shared by several
 * instances of an application provides its own bean of this type, which replaces the
 * default: a database lock, for example, whose lease keeps the connection that holds it.
 * <p>
 * A lease may be released by another thread than the one that acquired it (an
 * asynchronous request completes on another thread), so implementations must not rely on
 * thread ownership.
 */
@FunctionalInterface
public interface SessionLocks {

	/**
	 * Takes the lock of session {@code id}, waiting at most {@code maxWait} while another
	 * lease holds it.
	 * @return the lease, held until it is closed; null if the lock was not free in time
	 * or the waiting thread was interrupted (whose interrupt status is then kept)
	 * @throws SessionStoreException if the storage behind the locks failed
	 */
	@Nullable Lease tryAcquire(String id, Duration maxWait);

	/** A lock held on one session id. */
	@FunctionalInterface
	interface Lease extends AutoCloseable {

		/** Releases the lock; closing a lease again does nothing. */
		@Override
		void close();

	}

}
