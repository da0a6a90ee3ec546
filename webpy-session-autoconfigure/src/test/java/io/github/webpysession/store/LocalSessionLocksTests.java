package io.github.webpysession.store;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalSessionLocksTests {

	private static final Duration SHORT = Duration.ofMillis(50);

	private final LocalSessionLocks locks = new LocalSessionLocks();

	@Test
	void aHeldLockIsNotGrantedAgainWithinTheWait() {
		try (SessionLocks.Lease lease = this.locks.tryAcquire("a", SHORT)) {
			assertThat(lease).isNotNull();
			assertThat(this.locks.tryAcquire("a", SHORT)).isNull();
		}
	}

	@Test
	void aClosedLeaseFreesTheLock() {
		this.locks.tryAcquire("a", SHORT).close();
		assertThat(this.locks.tryAcquire("a", Duration.ZERO)).isNotNull();
	}

	@Test
	void aWaitingRequestGetsTheLockAsSoonAsItIsReleased() throws Exception {
		SessionLocks.Lease first = this.locks.tryAcquire("a", SHORT);
		CompletableFuture<SessionLocks.Lease> second = CompletableFuture
			.supplyAsync(() -> this.locks.tryAcquire("a", Duration.ofSeconds(10)));
		assertThat(second).isNotDone();
		first.close();
		assertThat(second.get(10, TimeUnit.SECONDS)).isNotNull();
	}

	@Test
	void locksOfDifferentSessionsAreIndependent() {
		try (SessionLocks.Lease a = this.locks.tryAcquire("a", SHORT)) {
			assertThat(this.locks.tryAcquire("b", Duration.ZERO)).isNotNull();
		}
	}

	@Test
	void aLeaseClosedTwiceReleasesOnce() {
		SessionLocks.Lease first = this.locks.tryAcquire("a", SHORT);
		first.close();
		SessionLocks.Lease second = this.locks.tryAcquire("a", SHORT);
		first.close();
		assertThat(this.locks.tryAcquire("a", Duration.ZERO)).isNull();
		second.close();
	}

	@Test
	void aLeaseMayBeClosedByAnotherThread() throws Exception {
		SessionLocks.Lease lease = this.locks.tryAcquire("a", SHORT);
		CompletableFuture.runAsync(lease::close).get(10, TimeUnit.SECONDS);
		assertThat(this.locks.tryAcquire("a", Duration.ZERO)).isNotNull();
	}

	@Test
	void noLockIsKeptForASessionNobodyHoldsOrAwaits() {
		for (int i = 0; i < 1000; i++) {
			this.locks.tryAcquire("session-" + i, SHORT).close();
		}
		SessionLocks.Lease held = this.locks.tryAcquire("held", SHORT);
		assertThat(this.locks.tryAcquire("held", Duration.ZERO)).isNull();
		assertThat(this.locks.size()).isEqualTo(1);
		held.close();
		assertThat(this.locks.size()).isZero();
	}

	@Test
	void anInterruptedWaitGivesNoLeaseAndKeepsTheInterrupt() {
		try (SessionLocks.Lease lease = this.locks.tryAcquire("a", SHORT)) {
			Thread.currentThread().interrupt();
			assertThat(this.locks.tryAcquire("a", Duration.ofSeconds(10))).isNull();
			assertThat(Thread.interrupted()).isTrue();
		}
	}

}
