package io.github.webpysession.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * A store whose operations are {@link Observation observed}, so that a trace of a request
 * shows its session's load and save as spans of their own ({@code session load},
 * {@code session update}, …), tagged with the store's kind and the operation, never a
 * session's id.
 */
public final class ObservedSessionStore implements SessionStore {

	/** The name of every observation, whose meters the configuration leaves out. */
	public static final String OBSERVATION = "webpy.session.store.operation";

	private final SessionStore store;

	private final ObservationRegistry registry;

	public ObservedSessionStore(SessionStore store, ObservationRegistry registry) {
		this.store = store;
		this.registry = registry;
	}

	@Override
	public @Nullable StoredSession load(String id) {
		return observed(StoreOperation.LOAD, () -> this.store.load(id));
	}

	/** Timed as a load: a store that touches in the same command does so within it. */
	@Override
	public @Nullable StoredSession loadForUse(String id, Instant now, Duration touchAfter, Duration timeout) {
		return observed(StoreOperation.LOAD, () -> this.store.loadForUse(id, now, touchAfter, timeout));
	}

	@Override
	public boolean create(String id, byte[] data, Instant now) {
		return observed(StoreOperation.CREATE, () -> this.store.create(id, data, now));
	}

	@Override
	public boolean create(String id, byte[] data, @Nullable String principalName, Instant now) {
		return observed(StoreOperation.CREATE, () -> this.store.create(id, data, principalName, now));
	}

	@Override
	public boolean update(String id, byte[] data, Instant now, long expectedVersion) {
		return observed(StoreOperation.UPDATE, () -> this.store.update(id, data, now, expectedVersion));
	}

	@Override
	public boolean update(String id, byte[] data, @Nullable String principalName, Instant now, long expectedVersion) {
		return observed(StoreOperation.UPDATE, () -> this.store.update(id, data, principalName, now, expectedVersion));
	}

	@Override
	public List<StoredSession> findByPrincipalName(String principalName) {
		return this.store.findByPrincipalName(principalName);
	}

	@Override
	public void touch(String id, Instant now) {
		observed(StoreOperation.TOUCH, () -> {
			this.store.touch(id, now);
			return null;
		});
	}

	@Override
	public void delete(String id) {
		observed(StoreOperation.DELETE, () -> {
			this.store.delete(id);
			return null;
		});
	}

	@Override
	public int deleteAccessedBefore(Instant cutoff) {
		return observed(StoreOperation.CLEANUP, () -> this.store.deleteAccessedBefore(cutoff));
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

	private <T extends @Nullable Object> T observed(StoreOperation operation, Supplier<T> action) {
		return Observation.createNotStarted(OBSERVATION, this.registry)
			.contextualName("session " + operation.tagValue())
			.lowCardinalityKeyValue("store", this.store.kind())
			.lowCardinalityKeyValue("operation", operation.tagValue())
			.observe(action);
	}

	@Override
	public String toString() {
		return this.store.toString();
	}

}
