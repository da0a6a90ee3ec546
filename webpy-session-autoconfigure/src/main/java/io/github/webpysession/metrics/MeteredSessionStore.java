package io.github.webpysession.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A store that times each of its operations ({@code webpy.session.store}, tagged with the
 * store's kind, the operation and its outcome), records the size of each write
 * ({@code webpy.session.size}), and reports how many entries it holds
 * ({@code webpy.sessions.stored}): the store's own count where it has one without a scan,
 * otherwise the count taken after each cleanup run, and NaN before the first.
 */
public final class MeteredSessionStore implements SessionStore {

	static final String STORED = "webpy.sessions.stored";

	private static final Log logger = LogFactory.getLog(MeteredSessionStore.class);

	private final SessionStore store;

	private final StoreMeters meters;

	private volatile double countedByCleanup = Double.NaN;

	public MeteredSessionStore(SessionStore store, MeterRegistry registry) {
		this.store = store;
		this.meters = new StoreMeters(registry, store.kind());
		Gauge.builder(STORED, this, MeteredSessionStore::stored)
			.description("Entries the session store holds")
			.tag("store", store.kind())
			.strongReference(true)
			.register(registry);
	}

	private double stored() {
		try {
			OptionalLong count = this.store.count();
			return count.isPresent() ? count.getAsLong() : this.countedByCleanup;
		}
		catch (RuntimeException ex) {
			return Double.NaN;
		}
	}

	@Override
	public @Nullable StoredSession load(String id) {
		return timed(StoreOperation.LOAD, () -> this.store.load(id));
	}

	/** Timed as a load: a store that touches in the same command does so within it. */
	@Override
	public @Nullable StoredSession loadForUse(String id, Instant now, Duration touchAfter, Duration timeout) {
		return timed(StoreOperation.LOAD, () -> this.store.loadForUse(id, now, touchAfter, timeout));
	}

	@Override
	public boolean create(String id, byte[] data, Instant now) {
		return written(StoreOperation.CREATE, data, () -> this.store.create(id, data, now));
	}

	@Override
	public boolean create(String id, byte[] data, @Nullable String principalName, Instant now) {
		return written(StoreOperation.CREATE, data, () -> this.store.create(id, data, principalName, now));
	}

	@Override
	public boolean update(String id, byte[] data, Instant now, long expectedVersion) {
		return written(StoreOperation.UPDATE, data, () -> this.store.update(id, data, now, expectedVersion));
	}

	@Override
	public boolean update(String id, byte[] data, @Nullable String principalName, Instant now, long expectedVersion) {
		return written(StoreOperation.UPDATE, data,
				() -> this.store.update(id, data, principalName, now, expectedVersion));
	}

	@Override
	public List<StoredSession> findByPrincipalName(String principalName) {
		return this.store.findByPrincipalName(principalName);
	}

	@Override
	public void touch(String id, Instant now) {
		timed(StoreOperation.TOUCH, () -> {
			this.store.touch(id, now);
			return null;
		});
	}

	@Override
	public void delete(String id) {
		timed(StoreOperation.DELETE, () -> {
			this.store.delete(id);
			return null;
		});
	}

	/** Times the cleanup, then counts the store where only a scan can. */
	@Override
	public int deleteAccessedBefore(Instant cutoff) {
		int removed = timed(StoreOperation.CLEANUP, () -> this.store.deleteAccessedBefore(cutoff));
		if (this.store.count().isEmpty()) {
			try {
				OptionalLong count = this.store.countByScan();
				this.countedByCleanup = count.isPresent() ? count.getAsLong() : Double.NaN;
			}
			catch (RuntimeException ex) {
				logger.debug("Could not count the sessions of " + this.store + " after its cleanup", ex);
			}
		}
		return removed;
	}

	@Override
	public String kind() {
		return this.store.kind();
	}

	@Override
	public OptionalLong count() {
		return this.store.count();
	}

	@Override
	public OptionalLong countByScan() {
		return this.store.countByScan();
	}

	@Override
	public void check() {
		this.store.check();
	}

	@Override
	public SessionStore unwrap() {
		return this.store.unwrap();
	}

	private boolean written(StoreOperation operation, byte[] data, Supplier<Boolean> write) {
		boolean written = timed(operation, write);
		if (written) {
			this.meters.recordSize(data.length);
		}
		return written;
	}

	private <T extends @Nullable Object> T timed(StoreOperation operation, Supplier<T> action) {
		long start = this.meters.start();
		boolean success = false;
		try {
			T result = action.get();
			success = true;
			return result;
		}
		finally {
			this.meters.record(operation, success, start);
		}
	}

	@Override
	public String toString() {
		return this.store.toString();
	}

}
