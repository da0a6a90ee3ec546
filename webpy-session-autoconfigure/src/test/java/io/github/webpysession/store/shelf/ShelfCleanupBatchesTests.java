package io.github.webpysession.store.shelf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.webpysession.store.CleanupBatches;
import io.github.webpysession.store.CleanupBatchesContractTests;
import io.github.webpysession.store.SessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shelf's cleanup in batches, and its compaction interrupted (the application
 * stopping while it compacts) and resumed.
 */
class ShelfCleanupBatchesTests extends CleanupBatchesContractTests {

	/**
	 * The pause at which the compaction's first dose has run: the walk of the sessions
	 * pauses after each of its {@code EXPIRED / BATCH} batches and after the one that
	 * finds none left, the walk of the principal index once.
	 */
	private static final int FIRST_COMPACTION_PAUSE = EXPIRED / BATCH + 3;

	@TempDir
	Path directory;

	private final AtomicInteger pauses = new AtomicInteger();

	private volatile int interruptFrom = Integer.MAX_VALUE;

	/** The shelf cleans up on the requests' own cores and disk. */
	@Override
	protected boolean restsBetweenBatches() {
		return true;
	}

	@Override
	protected SessionStore createStore(CleanupBatches batches) {
		return new ShelfSessionStore(this.directory.resolve("session.shelf"), new CleanupBatches(batches.size(), () -> {
			batches.betweenBatches().run();
			if (this.pauses.incrementAndGet() >= this.interruptFrom) {
				Thread.currentThread().interrupt();
			}
		}));
	}

	@Override
	protected void closeStore(SessionStore store) {
		((ShelfSessionStore) store).close();
	}

	@Test
	void anInterruptedCompactionKeepsEveryRemovalAndTheFileUsable() throws Exception {
		fill(ids(EXPIRED), EXPIRED_AT);
		this.interruptFrom = FIRST_COMPACTION_PAUSE;

		int removed;
		boolean interrupted;
		try {
			removed = this.store.deleteAccessedBefore(CUTOFF);
		}
		finally {
			interrupted = Thread.interrupted();
		}

		assertThat(this.pauses.get()).as("pauses, the compaction's first included").isEqualTo(FIRST_COMPACTION_PAUSE);
		assertThat(interrupted).as("the cleanup's thread still interrupted").isTrue();
		assertThat(removed).as("removed before the compaction").isEqualTo(EXPIRED);
		String id = newId();
		assertThat(this.store.create(id, new byte[] { 7 }, NOW)).isTrue();
		assertThat(this.store.load(id).data()).containsExactly(7);
	}

	@Test
	void aCompactionCutShortIsResumedByTheNextCleanupThoughItRemovesNothing() throws Exception {
		fill(ids(EXPIRED), EXPIRED_AT);
		this.interruptFrom = FIRST_COMPACTION_PAUSE;
		try {
			this.store.deleteAccessedBefore(CUTOFF);
		}
		finally {
			Thread.interrupted();
		}
		this.interruptFrom = Integer.MAX_VALUE;
		Path file = this.directory.resolve("session.shelf");
		long cutShort = Files.size(file);

		assertThat(this.store.deleteAccessedBefore(CUTOFF)).isZero();

		assertThat(Files.size(file)).as("bytes, against %d when cut short", cutShort).isLessThan(cutShort / 4);
	}

}
