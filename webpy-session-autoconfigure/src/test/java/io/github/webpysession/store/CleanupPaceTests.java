package io.github.webpysession.store;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cleanup's rest after a batch lasts half as long as the batch, and never holds up an
 * interrupted thread.
 */
class CleanupPaceTests {

	@AfterEach
	void clearInterrupt() {
		Thread.interrupted();
	}

	@Test
	void aRestLastsAtLeastHalfAsLongAsTheBatchBeforeIt() throws InterruptedException {
		CleanupPace pace = new CleanupPace();
		TimeUnit.MILLISECONDS.sleep(40);

		long start = System.nanoTime();
		pace.rest();

		assertThat(System.nanoTime() - start).as("rest, ns").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
	}

	@Test
	void aRestOfAnInterruptedThreadEndsAtOnceAndKeepsTheInterrupt() throws InterruptedException {
		CleanupPace pace = new CleanupPace();
		TimeUnit.MILLISECONDS.sleep(2000);
		Thread.currentThread().interrupt();

		long start = System.nanoTime();
		pace.rest();

		assertThat(System.nanoTime() - start).as("rest, ns").isLessThan(TimeUnit.MILLISECONDS.toNanos(1000));
		assertThat(Thread.currentThread().isInterrupted()).as("interrupted").isTrue();
	}

}
