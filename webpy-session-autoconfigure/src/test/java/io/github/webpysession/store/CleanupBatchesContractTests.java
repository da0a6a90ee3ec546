package io.github.webpysession.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every store's cleanup of many expired sessions does: it removes them in batches of
 * {@link CleanupBatches#size()}, and holds nothing between two batches that a request of
 * a live session needs. A store's test extends this class and says how to make one and,
 * where it has a faster way than {@link SessionStore#create}, how to fill it. An
 * interrupted cleanup (the application stopping) stops at its next pause between two
 * batches and leaves the rest to the next cleanup.
 * <p>
 * The assertions are on structure, not on time (but for a lower bound on the rests): the
 * requests of a live session run while the cleanup is paused between two batches, and
 * would wait forever (failing the test after a bound) if that pause held a lock they
 * need.
 */
public abstract class CleanupBatchesContractTests {

	protected static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	protected static final Instant EXPIRED_AT = NOW.minus(Duration.ofDays(2));

	protected static final Instant CUTOFF = NOW.minus(Duration.ofDays(1));

	/** How many expired sessions each test cleans. */
	protected static final int EXPIRED = 5_000;

	/** The batch size the stores under test are given. */
	protected static final int BATCH = 100;

	/** How much longer each batch takes in the test of the rests. */
	private static final Duration SLOW_BATCH = Duration.ofMillis(40);

	/** How many paced batches the test of the rests times. */
	private static final int PACED_BATCHES = 4;

	private final AtomicInteger pauses = new AtomicInteger();

	private final AtomicReference<Runnable> atFirstPause = new AtomicReference<>(() -> {
	});

	private final AtomicReference<Runnable> atEveryPause = new AtomicReference<>(() -> {
	});

	protected SessionStore store;

	/**
	 * A new, empty store whose cleanup runs in {@code batches}.
	 */
	protected abstract SessionStore createStore(CleanupBatches batches) throws Exception;

	/**
	 * Whether the cleanup rests after each batch ({@link CleanupPace}): a store whose
	 * cleanup runs on the requests' own cores and disk.
	 */
	protected boolean restsBetweenBatches() {
		return false;
	}

	/**
	 * Makes each batch of the cleanup take at least {@code duration} longer. By default
	 * the pause between two batches lasts that long, which a store that times a batch
	 * from the end of the rest before it counts as the next batch's time.
	 */
	protected void slowEachBatchBy(Duration duration) throws Exception {
		this.atEveryPause.set(() -> sleep(duration));
	}

	/** Releases what {@link #createStore} opened. */
	protected void closeStore(SessionStore store) throws Exception {
	}

	/**
	 * Stores a session of one byte under each of {@code ids}, last accessed at
	 * {@code lastAccessed}.
	 */
	protected void fill(List<String> ids, Instant lastAccessed) throws Exception {
		for (String id : ids) {
			this.store.create(id, new byte[] { 1 }, lastAccessed);
		}
	}

	/**
	 * Makes the cleanup's first pause between two batches run {@code action}, on its
	 * thread.
	 */
	private void atFirstPause(Runnable action) {
		this.atFirstPause.set(action);
	}

	@BeforeEach
	void openStore() throws Exception {
		this.store = createStore(new CleanupBatches(BATCH, () -> {
			if (this.pauses.incrementAndGet() == 1) {
				this.atFirstPause.get().run();
			}
			this.atEveryPause.get().run();
		}));
	}

	@AfterEach
	void releaseStore() throws Exception {
		closeStore(this.store);
	}

	@Test
	void aCleanupOfManyExpiredSessionsRemovesThemInBatchesOfTheGivenSize() throws Exception {
		List<String> expired = ids(EXPIRED);
		fill(expired, EXPIRED_AT);
		List<String> live = ids(10);
		fill(live, NOW);

		int removed = this.store.deleteAccessedBefore(CUTOFF);

		assertThat(removed).isEqualTo(EXPIRED);
		assertThat(this.pauses.get()).as("pauses between batches").isGreaterThanOrEqualTo(EXPIRED / BATCH);
		assertThat(live).allSatisfy((id) -> assertThat(this.store.load(id)).as("live session").isNotNull());
		assertThat(expired.subList(0, 100)).allSatisfy((id) -> assertThat(this.store.load(id)).isNull());
	}

	@Test
	void aLiveSessionIsLoadedUpdatedAndTouchedBetweenTwoBatchesBeforeTheCleanupEnds() throws Exception {
		List<String> expired = ids(EXPIRED);
		fill(expired, EXPIRED_AT);
		String live = newId();
		this.store.create(live, new byte[] { 1 }, NOW);
		AtomicReference<Boolean> updated = new AtomicReference<>();
		AtomicInteger expiredLeft = new AtomicInteger();
		atFirstPause(() -> {
			updated.set(CompletableFuture.supplyAsync(() -> {
				StoredSession session = this.store.load(live);
				boolean result = this.store.update(live, new byte[] { 2 }, NOW, session.version());
				this.store.touch(live, NOW.plusSeconds(1));
				return result;
			}).orTimeout(20, TimeUnit.SECONDS).join());
			expiredLeft.set((int) expired.stream().limit(200).filter((id) -> this.store.load(id) != null).count());
		});

		int removed = this.store.deleteAccessedBefore(CUTOFF);

		assertThat(updated.get()).as("update of a live session during the cleanup").isTrue();
		assertThat(expiredLeft.get()).as("expired sessions of 200 still there after the first batch").isPositive();
		assertThat(removed).isEqualTo(EXPIRED);
		StoredSession session = this.store.load(live);
		assertThat(session.data()).containsExactly(2);
		assertThat(session.lastAccessed()).isEqualTo(NOW.plusSeconds(1));
	}

	@Test
	void anInterruptedCleanupStopsAtTheNextPauseAndKeepsTheInterrupt() throws Exception {
		fill(ids(EXPIRED), EXPIRED_AT);
		atFirstPause(() -> Thread.currentThread().interrupt());

		int removed;
		boolean interrupted;
		try {
			removed = this.store.deleteAccessedBefore(CUTOFF);
		}
		finally {
			interrupted = Thread.interrupted();
		}

		assertThat(interrupted).as("the cleanup's thread still interrupted").isTrue();
		assertThat(removed).as("removed before the interrupt").isPositive().isLessThan(EXPIRED);
		assertThat(this.store.deleteAccessedBefore(CUTOFF)).as("removed by the next cleanup")
			.isEqualTo(EXPIRED - removed);
	}

	@Test
	void aCleanupOnTheRequestsOwnCoresRestsAfterEachBatchHalfAsLongAsTheBatchTook() throws Exception {
		assumeTrue(restsBetweenBatches(), "this store's cleanup runs on a server of its own and does not rest");
		fill(ids(EXPIRED), EXPIRED_AT);
		slowEachBatchBy(SLOW_BATCH);
		Runnable slowing = this.atEveryPause.get();
		List<Long> pausedAt = new ArrayList<>();
		this.atEveryPause.set(() -> {
			pausedAt.add(System.nanoTime());
			if (pausedAt.size() == PACED_BATCHES + 1) {
				Thread.currentThread().interrupt();
			}
			else {
				slowing.run();
			}
		});

		try {
			this.store.deleteAccessedBefore(CUTOFF);
		}
		finally {
			Thread.interrupted();
		}

		assertThat(pausedAt).hasSize(PACED_BATCHES + 1);
		for (int i = 1; i < pausedAt.size(); i++) {
			assertThat(Duration.ofNanos(pausedAt.get(i) - pausedAt.get(i - 1)))
				.as("from pause %d to the next: a batch slowed by %s, then a rest of half that or more", i, SLOW_BATCH)
				.isGreaterThanOrEqualTo(SLOW_BATCH.plus(SLOW_BATCH.dividedBy(2)));
		}
	}

	protected static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	protected static List<String> ids(int count) {
		List<String> ids = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			ids.add(newId());
		}
		return ids;
	}

	protected static String newId() {
		return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
	}

}
