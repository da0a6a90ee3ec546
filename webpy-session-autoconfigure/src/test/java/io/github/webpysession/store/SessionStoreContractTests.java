package io.github.webpysession.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link SessionStore} does, whatever it keeps sessions in. A store's test
 * extends this class and says how to make one.
 */
public abstract class SessionStoreContractTests {

	protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	protected SessionStore store;

	/** A new, empty store. */
	protected abstract SessionStore createStore() throws Exception;

	/**
	 * Expires the sessions last accessed before {@code cutoff} as the store does in
	 * production, and answers how many: by default its scheduled cleanup,
	 * {@link SessionStore#deleteAccessedBefore}. A store whose storage expires sessions
	 * itself (Redis) does what that expiry does, then runs the cleanup.
	 */
	protected int expireAccessedBefore(Instant cutoff) throws Exception {
		return this.store.deleteAccessedBefore(cutoff);
	}

	/** Releases what {@link #createStore()} opened. */
	protected void closeStore(SessionStore store) throws Exception {
	}

	@BeforeEach
	void openStore() throws Exception {
		this.store = createStore();
	}

	@AfterEach
	void releaseStore() throws Exception {
		closeStore(this.store);
	}

	protected static String newId() {
		return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
	}

	protected static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void loadOfUnknownIdIsNull() {
		assertThat(this.store.load(newId())).isNull();
	}

	@Test
	void createdSessionLoadsWithItsDataAtVersionZero() {
		String id = newId();
		assertThat(this.store.create(id, bytes("hello"), T0)).isTrue();
		StoredSession loaded = this.store.load(id);
		assertThat(loaded).isNotNull();
		assertThat(loaded.id()).isEqualTo(id);
		assertThat(loaded.data()).isEqualTo(bytes("hello"));
		assertThat(loaded.lastAccessed()).isEqualTo(T0);
		assertThat(loaded.version()).isZero();
	}

	@Test
	void aLoadForUseAnswersTheSessionAsItWasStoredEvenWhereItRecordsTheUse() {
		String id = newId();
		this.store.create(id, bytes("hello"), T0);
		StoredSession loaded = this.store.loadForUse(id, T0.plus(Duration.ofHours(7)), Duration.ofHours(6),
				Duration.ofHours(24));
		assertThat(loaded.data()).isEqualTo(bytes("hello"));
		assertThat(loaded.lastAccessed()).isEqualTo(T0);
		assertThat(loaded.version()).isZero();
		assertThat(this.store.loadForUse(newId(), T0, Duration.ofHours(6), Duration.ofHours(24))).isNull();
	}

	@Test
	void dataIsKeptByteForByteEvenWhenItIsNotASerializedSession() {
		String id = newId();
		byte[] garbage = { 0, -1, 2, -3, 4, 0, 0, 127, -128 };
		this.store.create(id, garbage, T0);
		assertThat(this.store.load(id).data()).isEqualTo(garbage);
	}

	@Test
	void createOfAnIdThatExistsFailsAndKeepsTheFirstSession() {
		String id = newId();
		this.store.create(id, bytes("first"), T0);
		assertThat(this.store.create(id, bytes("second"), T0.plusSeconds(1))).isFalse();
		assertThat(this.store.load(id).data()).isEqualTo(bytes("first"));
	}

	@Test
	void updateAtTheLoadedVersionReplacesTheDataAndIncrementsTheVersion() {
		String id = newId();
		this.store.create(id, bytes("one"), T0);
		assertThat(this.store.update(id, bytes("two"), T0.plusSeconds(5), 0)).isTrue();
		StoredSession loaded = this.store.load(id);
		assertThat(loaded.data()).isEqualTo(bytes("two"));
		assertThat(loaded.version()).isEqualTo(1);
		assertThat(loaded.lastAccessed()).isEqualTo(T0.plusSeconds(5));
	}

	@Test
	void updateAtAStaleVersionFailsAndChangesNothing() {
		String id = newId();
		this.store.create(id, bytes("one"), T0);
		this.store.update(id, bytes("two"), T0, 0);
		assertThat(this.store.update(id, bytes("three"), T0, 0)).isFalse();
		assertThat(this.store.load(id).data()).isEqualTo(bytes("two"));
	}

	@Test
	void updateOfAMissingSessionFailsAndCreatesNothing() {
		String id = newId();
		assertThat(this.store.update(id, bytes("x"), T0, 0)).isFalse();
		assertThat(this.store.load(id)).isNull();
	}

	@Test
	void touchMovesTheLastAccessButKeepsDataAndVersion() {
		String id = newId();
		this.store.create(id, bytes("data"), T0);
		this.store.touch(id, T0.plus(Duration.ofHours(1)));
		StoredSession loaded = this.store.load(id);
		assertThat(loaded.lastAccessed()).isEqualTo(T0.plus(Duration.ofHours(1)));
		assertThat(loaded.data()).isEqualTo(bytes("data"));
		assertThat(loaded.version()).isZero();
	}

	@Test
	void touchOfAMissingSessionCreatesNothing() {
		String id = newId();
		this.store.touch(id, T0);
		assertThat(this.store.load(id)).isNull();
	}

	@Test
	void deleteRemovesTheSession() {
		String id = newId();
		this.store.create(id, bytes("x"), T0);
		this.store.delete(id);
		assertThat(this.store.load(id)).isNull();
	}

	@Test
	void deleteOfAMissingSessionIsNoError() {
		this.store.delete(newId());
	}

	@Test
	void aDeletedIdCanBeCreatedAgain() {
		String id = newId();
		this.store.create(id, bytes("x"), T0);
		this.store.delete(id);
		assertThat(this.store.create(id, bytes("y"), T0)).isTrue();
	}

	@Test
	void cleanupRemovesExactlyTheSessionsLastAccessedBeforeTheCutoff() throws Exception {
		String old1 = newId();
		String old2 = newId();
		String live = newId();
		String touched = newId();
		this.store.create(old1, bytes("a"), T0);
		this.store.create(old2, bytes("b"), T0.plusSeconds(10));
		this.store.create(live, bytes("c"), T0.plusSeconds(100));
		this.store.create(touched, bytes("d"), T0);
		this.store.touch(touched, T0.plusSeconds(100));

		int removed = expireAccessedBefore(T0.plusSeconds(50));

		assertThat(removed).isEqualTo(2);
		assertThat(this.store.load(old1)).isNull();
		assertThat(this.store.load(old2)).isNull();
		assertThat(this.store.load(live)).isNotNull();
		assertThat(this.store.load(touched)).isNotNull();
	}

	@Test
	void cleanupOfAnEmptyStoreRemovesNothing() throws Exception {
		assertThat(expireAccessedBefore(T0)).isZero();
	}

	@Test
	void fiftyConcurrentCreatesOfNewSessionsAllSucceed() throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			ids.add(newId());
		}
		List<Boolean> results = concurrently(50, (i) -> this.store.create(ids.get(i), bytes("s" + i), T0));
		assertThat(results).containsOnly(true);
		for (int i = 0; i < 50; i++) {
			assertThat(this.store.load(ids.get(i)).data()).isEqualTo(bytes("s" + i));
		}
	}

	@Test
	void fiftyConcurrentCreatesOfOneIdLetExactlyOneWin() throws Exception {
		String id = newId();
		List<Boolean> results = concurrently(50, (i) -> this.store.create(id, bytes("s" + i), T0));
		assertThat(results).containsOnlyOnce(true);
	}

	@Test
	void fiftyConcurrentWritesOfOneSessionLoseNoCompareAndSet() throws Exception {
		String id = newId();
		this.store.create(id, bytes("0"), T0);
		concurrently(50, (i) -> {
			while (true) {
				StoredSession current = this.store.load(id);
				int value = Integer.parseInt(new String(current.data(), StandardCharsets.UTF_8));
				if (this.store.update(id, bytes(String.valueOf(value + 1)), T0, current.version())) {
					return true;
				}
			}
		});
		StoredSession last = this.store.load(id);
		assertThat(new String(last.data(), StandardCharsets.UTF_8)).isEqualTo("50");
		assertThat(last.version()).isEqualTo(50);
	}

	protected interface Task<T> {

		T run(int index) throws Exception;

	}

	protected static <T> List<T> concurrently(int count, Task<T> task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(Math.min(count, 16));
		try {
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				int index = i;
				futures.add(executor.submit((Callable<T>) () -> task.run(index)));
			}
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get());
			}
			return results;
		}
		finally {
			executor.shutdownNow();
		}
	}

}
