package io.github.webpysession.store.jdbc;

import java.util.concurrent.locks.LockSupport;

/** The requests waiting in {@link JdbcBatches} for a batch to run theirs. */
final class ParkedInBatches {

	private ParkedInBatches() {
	}

	/** How many threads are parked in any {@link JdbcBatches}. */
	static int count() {
		int parked = 0;
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			parked += (LockSupport.getBlocker(thread) instanceof JdbcBatches) ? 1 : 0;
		}
		return parked;
	}

	/** Waits until {@code count} threads are parked in batches. */
	static void awaitCount(int count) {
		while (count() < count) {
			Thread.onSpinWait();
		}
	}

}
