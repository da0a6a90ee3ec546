package io.github.webpysession.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.webpysession.store.LocalSessionLocks;
import io.github.webpysession.store.SessionLocks;
import io.github.webpysession.store.SessionStoreException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * {@link SessionLocks} in the database of a {@link JdbcSessionStore}, so that with
 * {@code session.lock} the requests of one session run one at a time across every
 * instance of an application that shares the table. A lock is the same kind as the
 * store's cleanup lock, keyed by the table and the session id: a session-level advisory
 * lock on PostgreSQL, a {@code GET_LOCK} on MariaDB and MySQL. H2 runs embedded in one
 * JVM, so there the locks are a {@link LocalSessionLocks}.
 * <p>
 * <strong>One pooled connection per held lock.</strong> A database lock belongs to the
 * connection that took it, so a lease keeps that connection until it is closed, at the
 * end of the request, and the store runs the locked session's statements on it: a request
 * holding a lock needs no other connection, so however many requests hold locks, each can
 * finish and give its connection back. Requests beyond the pool's size wait for a
 * connection to try their lock, within {@code maxWait}. If the connection of a lease
 * breaks, the database drops the lock with it, and closing the lease only logs a warning.
 * <p>
 * <strong>Waiting.</strong> The lock is tried without waiting, on a connection borrowed
 * for that try only, then again after a sleep that doubles from
 * {@value #FIRST_BACKOFF_MILLIS} ms up to {@value #MAX_BACKOFF_MILLIS} ms, until
 * {@code maxWait} has passed. A wait inside the database ({@code pg_advisory_lock} under
 * {@code lock_timeout}, {@code GET_LOCK} with a timeout) would hold a connection for the
 * whole wait: a few requests waiting for one busy session would empty the pool, and the
 * request that holds the lock, which needs a connection to save its session, would wait
 * for them. Polling also needs no session setting restored before a connection goes back
 * to the pool, and no rounding of sub-second waits to {@code GET_LOCK}'s whole seconds.
 * Its price: a waiter notices a released lock up to {@value #MAX_BACKOFF_MILLIS} ms late,
 * and waiters are not served in arrival order.
 * <p>
 * Borrowing counts against {@code maxWait}, but a single borrow from an exhausted pool
 * waits as long as the pool allows: a {@code DataSource} has no timeout per call
 * ({@code setLoginTimeout} bounds the driver's connecting, for every caller). A
 * {@code connection-timeout} shorter than {@code session.lock-timeout} bounds the whole
 * wait.
 */
public final class JdbcSessionLocks implements SessionLocks {

	private static final Log logger = LogFactory.getLog(JdbcSessionLocks.class);

	static final long FIRST_BACKOFF_MILLIS = 2;

	static final long MAX_BACKOFF_MILLIS = 25;

	private static final String LOCKING = "cannot lock a session";

	private final JdbcSessionStore store;

	/**
	 * The store's connections, which run a locked session's statements on its lock's
	 * connection.
	 */
	private final JdbcConnections connections;

	private final LocalSessionLocks local = new LocalSessionLocks();

	/**
	 * Locks in the database of {@code store}, on its table; nothing is asked of the
	 * database here.
	 */
	public JdbcSessionLocks(JdbcSessionStore store) {
		this.store = store;
		this.connections = store.connections();
	}

	/**
	 * {@inheritDoc}
	 * @throws SessionStoreException if no connection could be borrowed, or the database
	 * failed
	 */
	@Override
	public @Nullable Lease tryAcquire(String id, Duration maxWait) {
		JdbcDialect dialect = this.connections.dialect(LOCKING);
		if (dialect == JdbcDialect.H2) {
			return this.local.tryAcquire(id, maxWait);
		}
		long deadline = System.nanoTime() + maxWait.toNanos();
		long backoff = TimeUnit.MILLISECONDS.toNanos(FIRST_BACKOFF_MILLIS);
		try {
			while (true) {
				Lease lease = tryLock(dialect, id);
				long remaining = deadline - System.nanoTime();
				if (lease != null || remaining <= 0) {
					return lease;
				}
				TimeUnit.NANOSECONDS.sleep(Math.min(backoff, remaining));
				backoff = Math.min(backoff * 2, TimeUnit.MILLISECONDS.toNanos(MAX_BACKOFF_MILLIS));
			}
		}
		catch (SQLException ex) {
			throw this.connections.failure(LOCKING, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/**
	 * One try, on a connection that the lease keeps, or that goes back to the pool at
	 * once.
	 */
	private @Nullable Lease tryLock(JdbcDialect dialect, String id) throws SQLException {
		Connection connection = this.connections.connection();
		Lease lease = null;
		try {
			Object lock = this.connections.lock(connection, "lock", id);
			if (dialect.tryLock(connection, lock)) {
				lease = new DatabaseLease(id, connection, dialect, lock);
				this.connections.lockedOn(id, connection);
			}
			return lease;
		}
		finally {
			if (lease == null) {
				connection.close();
			}
		}
	}

	@Override
	public String toString() {
		return "Session locks of the " + this.store;
	}

	/** A database lock and the connection that holds it. */
	private final class DatabaseLease implements Lease {

		private final String id;

		private final Connection connection;

		private final JdbcDialect dialect;

		private final Object lock;

		private final AtomicBoolean closed = new AtomicBoolean();

		DatabaseLease(String id, Connection connection, JdbcDialect dialect, Object lock) {
			this.id = id;
			this.connection = connection;
			this.dialect = dialect;
			this.lock = lock;
		}

		/**
		 * Releases the lock and returns the connection. If the release fails, the
		 * connection is aborted rather than returned still holding the lock: the database
		 * then drops the lock, and the pool the connection.
		 */
		@Override
		public void close() {
			if (!this.closed.compareAndSet(false, true)) {
				return;
			}
			JdbcSessionLocks.this.connections.unlocked(this.id);
			try {
				if (!this.dialect.unlock(this.connection, this.lock)) {
					logger.warn(JdbcSessionLocks.this + ": a session lock was no longer held when released");
				}
			}
			catch (SQLException | RuntimeException ex) {
				logger.warn(JdbcSessionLocks.this + ": cannot release a session lock; its connection is aborted,"
						+ " and the database drops the lock with it: " + ex);
				abort();
			}
			finally {
				try {
					this.connection.close();
				}
				catch (SQLException ex) {
					logger.debug(JdbcSessionLocks.this + ": cannot return the connection of a session lock", ex);
				}
			}
		}

		private void abort() {
			try {
				this.connection.abort(Runnable::run);
			}
			catch (SQLException | RuntimeException ex) {
				logger.debug(JdbcSessionLocks.this + ": cannot abort the connection of a session lock", ex);
			}
		}

	}

}
