package io.github.webpysession.metrics;

import java.time.Duration;

import io.github.webpysession.store.SessionLocks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Locks that time each wait for a session's lock ({@code webpy.session.lock.wait},
 * whether it ends with the lock or not) and count the waits that ended without it
 * ({@code webpy.session.lock.timeouts}).
 */
public final class MeteredSessionLocks implements SessionLocks {

	private final SessionLocks locks;

	private final Timer wait;

	private final Counter timeouts;

	private final MeterRegistry registry;

	public MeteredSessionLocks(SessionLocks locks, MeterRegistry registry) {
		this.locks = locks;
		this.registry = registry;
		this.wait = Timer.builder("webpy.session.lock.wait")
			.description("Time a request waited for its session's lock (session.lock)")
			.register(registry);
		this.timeouts = Counter.builder("webpy.session.lock.timeouts")
			.description("Requests that waited session.lock-timeout for their session's lock in vain")
			.register(registry);
	}

	@Override
	public @Nullable Lease tryAcquire(String id, Duration maxWait) {
		Timer.Sample sample = Timer.start(this.registry);
		try {
			Lease lease = this.locks.tryAcquire(id, maxWait);
			if (lease == null) {
				this.timeouts.increment();
			}
			return lease;
		}
		finally {
			sample.stop(this.wait);
		}
	}

	@Override
	public String toString() {
		return this.locks.toString();
	}

}
