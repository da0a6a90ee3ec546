package io.github.webpysession.actuate;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.webpysession.promises.FaultyMemorySessionStore;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.store.memory.MemorySessionStore;
import io.github.webpysession.store.shelf.ShelfSessionStore;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code webpySession} health contributor: UP with what it can say cheaply, DOWN with
 * the cause, and in time even when the store hangs.
 */
class SessionStoreHealthIndicatorTests {

	private static final Executor THREADS = (check) -> {
		Thread thread = new Thread(check, "health-check");
		thread.setDaemon(true);
		thread.start();
	};

	@TempDir
	Path directory;

	@Test
	void aServingStoreIsUpWithItsKindAndHowManySessionsItHolds() {
		MemorySessionStore store = new MemorySessionStore();
		store.create("a".repeat(64), new byte[] { 1 }, Instant.EPOCH);

		Health health = indicator(store).health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("store", "memory").containsEntry("sessions", 1L);
	}

	@Test
	void aFailingStoreIsDownWithTheCause() {
		FaultyMemorySessionStore store = new FaultyMemorySessionStore();
		store.fault().start();

		Health health = indicator(store).health();

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("store", "memory");
		assertThat(String.valueOf(health.getDetails().get("error"))).contains("storage fault injected by the test");
	}

	@Test
	void aClosedShelfIsDown() {
		ShelfSessionStore store = new ShelfSessionStore(this.directory.resolve("session.shelf"));
		store.close();

		Health health = indicator(store).health();

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("store", "shelf");
		assertThat(String.valueOf(health.getDetails().get("error"))).contains("session.shelf");
	}

	@Test
	void aStoreThatHangsIsDownWithinTheDeadlineAndUpOnceItAnswers() throws InterruptedException {
		HangingStore store = new HangingStore();
		SessionStoreHealthIndicator indicator = indicator(store);

		long start = System.nanoTime();
		Health health = indicator.health();

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("error", "timed out after 1s: hanging store");
		store.release();
		assertThat(store.awaitReturned()).isTrue();
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void whileACheckHangsTheNextOneWaitsForItRatherThanStartingAnother() {
		HangingStore store = new HangingStore();
		SessionStoreHealthIndicator indicator = indicator(store);

		indicator.health();
		indicator.health();

		assertThat(store.checks.get()).isEqualTo(1);
		store.release();
	}

	private static SessionStoreHealthIndicator indicator(SessionStore store) {
		return new SessionStoreHealthIndicator(store, THREADS, SessionStoreHealthIndicator.DEADLINE);
	}

	/** A store whose loads block until released: a database without a socket timeout. */
	static final class HangingStore extends MemorySessionStore {

		final AtomicInteger checks = new AtomicInteger();

		private final CountDownLatch released = new CountDownLatch(1);

		private final CountDownLatch returned = new CountDownLatch(1);

		@Override
		public @Nullable StoredSession load(String id) {
			this.checks.incrementAndGet();
			try {
				this.released.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.returned.countDown();
			return super.load(id);
		}

		void release() {
			this.released.countDown();
		}

		boolean awaitReturned() throws InterruptedException {
			return this.returned.await(5, TimeUnit.SECONDS);
		}

		@Override
		public String toString() {
			return "hanging store";
		}

	}

}
