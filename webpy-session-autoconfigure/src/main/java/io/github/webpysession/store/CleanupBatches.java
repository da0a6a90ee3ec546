package io.github.webpysession.store;

/**
 * How a store's {@link SessionStore#deleteAccessedBefore cleanup} divides its work, so
 * that a request never waits for more than one batch, however many sessions expired: a
 * batch removes at most {@code size} sessions, takes the locks (or the connection) it
 * needs and releases them before the next one starts.
 *
 * @param size the most sessions that one batch removes, at least 1
 * @param betweenBatches run after each batch, holding nothing that a request needs: a
 * point where a test observes that requests go on
 */
public record CleanupBatches(int size, Runnable betweenBatches) {

	/** The batch size of every store unless it is told otherwise. */
	public static final int DEFAULT_SIZE = 1000;

	public CleanupBatches {
		if (size < 1) {
			throw new IllegalArgumentException("A cleanup batch removes at least 1 session, not " + size);
		}
	}

	/** Batches of {@value #DEFAULT_SIZE} sessions, with nothing run between them. */
	public static CleanupBatches defaults() {
		return new CleanupBatches(DEFAULT_SIZE, () -> {
		});
	}

}
