package io.github.webpysession.store;

import java.util.concurrent.TimeUnit;

/**
 * The rest a cleanup takes after each batch, half as long as the batch took, for the
 * stores whose cleanup runs on the requests' own cores and disk (disk, shelf, and jdbc on
 * embedded H2): between two batches the requests get the cores, and the kernel or the
 * store's writer writes back what the batch changed, rather than behind a request's
 * write. On 2 busy cores with 1 000 000 expired sessions, H2's cleanup without rests held
 * requests up to 80 ms (the benchmarks' {@code CleanupProbe}); a paced cleanup takes
 * about 1.5 times as long.
 * <p>
 * A cleanup stops when its thread is interrupted (the application stopping): a rest cut
 * short by an interrupt keeps the thread's interrupt status, which the cleanup checks
 * before its next batch.
 */
public final class CleanupPace {

	private long batchStart = System.nanoTime();

	/**
	 * Rests half as long as the batch that ended now took (since the previous rest, or
	 * since this pace began), then starts timing the next one; at once, the interrupt
	 * status kept, if the thread is or gets interrupted.
	 */
	public void rest() {
		try {
			TimeUnit.NANOSECONDS.sleep((System.nanoTime() - this.batchStart) / 2);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.batchStart = System.nanoTime();
		}
	}

}
