package io.github.webpysession.store;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cleanup's rest after a batch lasts half as long as the batch, and is where an
 * interrupted cleanup learns that it must stop.
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
		boolean goOn = pace.rest();

		assertThat(goOn).isTrue();
		assertThat(System.nanoTime() - start).as("rest, ns").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
	}

	@Test
	void aRestOfAnInterruptedThreadSaysStopAndKeepsTheInterrupt() {
		CleanupPace pace = new CleanupPace();
		Thread.currentThread().interrupt();

		assertThat(pace.rest()).as("go on").isFalse();
		assertThat(Thread.currentThread().isInterrupted()).as("interrupted").isTrue();
	}

}
