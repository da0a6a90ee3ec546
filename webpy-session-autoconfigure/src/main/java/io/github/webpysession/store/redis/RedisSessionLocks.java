package io.github.webpysession.store.redis;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.webpysession.store.SessionLocks;
import io.github.webpysession.store.SessionStoreException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.types.Expiration;

/**
 * {@link SessionLocks} in the Redis of a {@link RedisSessionStore}, so that with
 * {@code session.lock} the requests of one session run one at a time across every
 * instance that shares it.
 * <ul>
 * <li>A lock is a key beside its session ({@code <prefix>{<id>}:lock}), taken by
 * {@code SET NX PX} with a random token, and released by a script that deletes it only if
 * it still holds that token: a lease never releases a lock that expired and another
 * request took meanwhile.</li>
 * <li>It expires by itself {@value #LEASE_MILLIS} ms after it was taken or last renewed,
 * so the locks of an instance that died free themselves; while a lease is held, a
 * background thread renews it every {@value #RENEW_MILLIS} ms.</li>
 * <li>A request waits as with the JDBC store's locks: the lock is tried at once, then
 * again after a sleep that doubles from {@value #FIRST_BACKOFF_MILLIS} ms up to
 * {@value #MAX_BACKOFF_MILLIS} ms, until {@code session.lock-timeout}. A waiter notices a
 * release up to that late, and waiters are not served in arrival order.</li>
 * </ul>
 */
public final class RedisSessionLocks implements SessionLocks, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisSessionLocks.class);

	static final long LEASE_MILLIS = 30_000;

	static final long RENEW_MILLIS = 10_000;

	static final long FIRST_BACKOFF_MILLIS = 2;

	static final long MAX_BACKOFF_MILLIS = 25;

	private static final SecureRandom random = new SecureRandom();

	private final RedisConnections connections;

	private final RedisKeys keys;

	private final Map<RedisLease, Boolean> held = new ConcurrentHashMap<>();

	private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "webpy-session-redis-locks");
		thread.setDaemon(true);
		return thread;
	});

	/** Locks in the Redis of {@code store}; nothing is asked of Redis here. */
	public RedisSessionLocks(RedisSessionStore store) {
		this.connections = store.connections();
		this.keys = store.keys();
		this.renewer.scheduleWithFixedDelay(this::renewAll, RENEW_MILLIS, RENEW_MILLIS, TimeUnit.MILLISECONDS);
	}

	/**
	 * {@inheritDoc}
	 * @throws SessionStoreException if Redis failed
	 */
	@Override
	public @Nullable Lease tryAcquire(String id, Duration maxWait) {
		byte[] key = this.keys.lock(id);
		byte[] token = RedisKeys.bytes(token());
		long deadline = System.nanoTime() + maxWait.toNanos();
		long backoff = TimeUnit.MILLISECONDS.toNanos(FIRST_BACKOFF_MILLIS);
		try {
			while (true) {
				boolean taken = this.connections.execute("cannot lock a session",
						(connection) -> Boolean.TRUE.equals(connection.stringCommands()
							.set(key, token, Expiration.milliseconds(LEASE_MILLIS), SetOption.SET_IF_ABSENT)));
				if (taken) {
					RedisLease lease = new RedisLease(key, token);
					this.held.put(lease, Boolean.TRUE);
					return lease;
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return null;
				}
				TimeUnit.NANOSECONDS.sleep(Math.min(backoff, remaining));
				backoff = Math.min(backoff * 2, TimeUnit.MILLISECONDS.toNanos(MAX_BACKOFF_MILLIS));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private void renewAll() {
		for (RedisLease lease : this.held.keySet()) {
			try {
				Long renewed = this.connections.execute("cannot renew a session lock",
						(connection) -> RedisScripts.RENEW.run(connection, ReturnType.INTEGER, lease.key, lease.token,
								RedisKeys.bytes(Long.toString(LEASE_MILLIS))));
				if (renewed == null || renewed == 0) {
					logger.warn(this + ": a session lock expired while held; another request may have taken it");
					this.held.remove(lease);
				}
			}
			catch (SessionStoreException ex) {
				logger.warn(this + ": " + ex.getMessage());
			}
		}
	}

	/** Stops renewing; the locks still held expire by themselves. */
	@Override
	public void close() {
		this.renewer.shutdownNow();
	}

	private static String token() {
		byte[] bytes = new byte[16];
		random.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	@Override
	public String toString() {
		return "Session locks of the " + this.connections;
	}

	/** A lock key and the token that says this lease holds it. */
	private final class RedisLease implements Lease {

		private final byte[] key;

		private final byte[] token;

		private final AtomicBoolean closed = new AtomicBoolean();

		RedisLease(byte[] key, byte[] token) {
			this.key = key;
			this.token = token;
		}

		/**
		 * Releases the lock if this lease still holds it; if Redis fails, only logs a
		 * warning, since the lock then expires by itself.
		 */
		@Override
		public void close() {
			if (!this.closed.compareAndSet(false, true)) {
				return;
			}
			RedisSessionLocks.this.held.remove(this);
			try {
				Long released = RedisSessionLocks.this.connections.execute("cannot release a session lock",
						(connection) -> RedisScripts.UNLOCK.run(connection, ReturnType.INTEGER, this.key, this.token));
				if (released == null || released == 0) {
					logger.warn(RedisSessionLocks.this + ": a session lock was no longer held when released");
				}
			}
			catch (SessionStoreException ex) {
				logger.warn(RedisSessionLocks.this + ": " + ex.getMessage() + "; the lock expires by itself within "
						+ LEASE_MILLIS + " ms");
			}
		}

	}

}
