package io.github.webpysession.store;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.webpysession.event.SessionsCleanedEvent;
import io.github.webpysession.store.memory.MemorySessionStore;
import io.github.webpysession.testsupport.MutableClock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class SessionStoreCleanerTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final MemorySessionStore store = new MemorySessionStore();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	@Test
	void cleanupRemovesSessionsUnusedForLongerThanTheTimeout() {
		SessionStoreCleaner cleaner = new SessionStoreCleaner(this.store, Duration.ofMinutes(30), Duration.ofHours(1),
				this.clock, this.events::add);
		this.store.create("old", new byte[0], this.clock.instant());
		this.clock.advance(Duration.ofMinutes(20));
		this.store.create("young", new byte[0], this.clock.instant());
		this.clock.advance(Duration.ofMinutes(11));

		assertThat(cleaner.cleanup()).isEqualTo(1);
		assertThat(this.store.load("old")).isNull();
		assertThat(this.store.load("young")).isNotNull();
	}

	@Test
	void aCleanupThatRemovedSessionsPublishesHowManyFromWhichStore() {
		SessionStoreCleaner cleaner = new SessionStoreCleaner(this.store, Duration.ofMinutes(30), Duration.ofHours(1),
				this.clock, this.events::add);
		this.store.create("a", new byte[0], this.clock.instant());
		this.store.create("b", new byte[0], this.clock.instant());
		this.clock.advance(Duration.ofMinutes(31));

		cleaner.cleanup();

		assertThat(this.events).singleElement().isInstanceOfSatisfying(SessionsCleanedEvent.class, (event) -> {
			assertThat(event.getCount()).isEqualTo(2);
			assertThat(event.getStore()).isSameAs(this.store);
			assertThat(event.getTimestamp()).isEqualTo(this.clock.millis());
		});
	}

	@Test
	void aCleanupThatRemovedNothingPublishesNothing() {
		SessionStoreCleaner cleaner = new SessionStoreCleaner(this.store, Duration.ofMinutes(30), Duration.ofHours(1),
				this.clock, this.events::add);
		this.store.create("young", new byte[0], this.clock.instant());

		cleaner.cleanup();

		assertThat(this.events).isEmpty();
	}

	@Test
	void itRunsOnItsScheduleInTheBackgroundOnceStarted() {
		SessionStoreCleaner cleaner = new SessionStoreCleaner(this.store, Duration.ofMinutes(30), Duration.ofMillis(50),
				this.clock, this.events::add);
		this.store.create("old", new byte[0], this.clock.instant());
		this.clock.advance(Duration.ofHours(1));
		cleaner.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.store.size() == 0);
		}
		finally {
			cleaner.stop();
		}
	}

	@Test
	void itStopsWithTheApplication() throws InterruptedException {
		SessionStoreCleaner cleaner = new SessionStoreCleaner(this.store, Duration.ofMinutes(30), Duration.ofMillis(20),
				this.clock, this.events::add);
		cleaner.start();
		cleaner.stop();
		this.store.create("old", new byte[0], this.clock.instant());
		this.clock.advance(Duration.ofHours(1));
		Thread.sleep(200);
		assertThat(cleaner.isRunning()).isFalse();
		assertThat(this.store.load("old")).isNotNull();
	}

	@Test
	void aFailingRunIsLoggedAndTheNextRunTriesAgain() {
		FailingOnceStore store = new FailingOnceStore();
		SessionStoreCleaner cleaner = new SessionStoreCleaner(store, Duration.ofMinutes(30), Duration.ofMillis(20),
				this.clock, this.events::add);
		cleaner.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> store.runs.get() >= 2);
		}
		finally {
			cleaner.stop();
		}
	}

	@Test
	void aCleanupThatFailsBecauseTheApplicationStopsLogsNoError(CapturedOutput output) {
		InterruptedStore store = new InterruptedStore();
		SessionStoreCleaner cleaner = new SessionStoreCleaner(store, Duration.ofMinutes(30), Duration.ofMillis(20),
				this.clock, this.events::add);
		cleaner.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> store.started.getCount() == 0);

		cleaner.stop();

		assertThat(store.failed).isTrue();
		assertThat(output).doesNotContain("failed; retrying");
	}

	/**
	 * A store whose cleanup reads until interrupted, then fails as a file channel does.
	 */
	static final class InterruptedStore extends FailingOnceStore {

		final CountDownLatch started = new CountDownLatch(1);

		volatile boolean failed;

		@Override
		public int deleteAccessedBefore(Instant cutoff) {
			this.started.countDown();
			try {
				Thread.sleep(30_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.failed = true;
				throw new SessionStoreException("cannot read a session file", new ClosedByInterruptException());
			}
			return 0;
		}

	}

	/** A store whose first cleanup fails as a full disk would. */
	static class FailingOnceStore implements SessionStore {

		final AtomicInteger runs = new AtomicInteger();

		@Override
		public int deleteAccessedBefore(Instant cutoff) {
			if (this.runs.getAndIncrement() == 0) {
				throw new SessionStoreException("disk full", new IOException("No space left on device"));
			}
			return 0;
		}

		@Override
		public @Nullable StoredSession load(String id) {
			return null;
		}

		@Override
		public boolean create(String id, byte[] data, Instant now) {
			return false;
		}

		@Override
		public boolean update(String id, byte[] data, Instant now, long expectedVersion) {
			return false;
		}

		@Override
		public void touch(String id, Instant now) {
		}

		@Override
		public void delete(String id) {
		}

	}

}
