package io.github.webpysession.promises;

import java.io.IOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.store.memory.MemorySessionStore;
import io.github.webpysession.testsupport.StoreFault;
import org.jspecify.annotations.Nullable;

/**
 * The memory store, with a storage that can be made to fail: a test double of the fault
 * only, since a heap has no disk to fill or network to cut. Each operation told to fail
 * throws the {@link SessionStoreException} a real store throws, before it changes
 * anything.
 */
public final class FaultyMemorySessionStore extends MemorySessionStore {

	private volatile Set<StoreOperation> failing = EnumSet.noneOf(StoreOperation.class);

	/**
	 * A fault that makes {@code operations} fail while it runs; all of them when none are
	 * named.
	 */
	public StoreFault fault(StoreOperation... operations) {
		Set<StoreOperation> failing = (operations.length > 0) ? EnumSet.of(operations[0], operations)
				: EnumSet.allOf(StoreOperation.class);
		return new StoreFault() {

			@Override
			public void start() {
				FaultyMemorySessionStore.this.failing = failing;
			}

			@Override
			public void stop() {
				FaultyMemorySessionStore.this.failing = EnumSet.noneOf(StoreOperation.class);
			}

		};
	}

	private void check(StoreOperation operation) {
		if (this.failing.contains(operation)) {
			throw new SessionStoreException(
					"Memory session store: cannot " + operation.name().toLowerCase() + " a session: "
							+ "storage fault injected by the test",
					new IOException("storage fault injected by the test"));
		}
	}

	@Override
	public @Nullable StoredSession load(String id) {
		check(StoreOperation.LOAD);
		return super.load(id);
	}

	/** Every create: the overload without a principal name comes here too. */
	@Override
	public boolean create(String id, byte[] data, @Nullable String principalName, Instant now) {
		check(StoreOperation.CREATE);
		return super.create(id, data, principalName, now);
	}

	/** Every update: the overload without a principal name comes here too. */
	@Override
	public boolean update(String id, byte[] data, @Nullable String principalName, Instant now, long expectedVersion) {
		check(StoreOperation.UPDATE);
		return super.update(id, data, principalName, now, expectedVersion);
	}

	@Override
	public void touch(String id, Instant now) {
		check(StoreOperation.TOUCH);
		super.touch(id, now);
	}

	@Override
	public void delete(String id) {
		check(StoreOperation.DELETE);
		super.delete(id);
	}

	@Override
	public int deleteAccessedBefore(Instant cutoff) {
		check(StoreOperation.CLEANUP);
		return super.deleteAccessedBefore(cutoff);
	}

	@Override
	public String toString() {
		return "faulty memory session store";
	}

}
