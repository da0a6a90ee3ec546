package io.github.webpysession.store.jdbc;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import io.github.webpysession.store.SessionStoreException;
import org.jspecify.annotations.Nullable;

/**
 * The updates of sessions that requests save while another update runs, run together: one
 * batch of statements in one transaction on one connection, so that a busy application
 * pays one commit, one round trip and one borrowed connection per batch rather than per
 * request, each request still answered only once its own update is committed.
 * <ul>
 * <li>No thread of its own: the request that finds no update running runs the batch of
 * every update queued by then, its own included, while their requests wait; as it
 * finishes, it wakes the first request still queued to run the next batch. An update
 * saved while none runs is run at once by its own request, as the single auto-committed
 * statement it would be without batches.</li>
 * <li>A batch runs in the order of session ids, so that the batches of two instances on
 * one table lock their rows in the same order and never deadlock.</li>
 * <li>A batch that fails in its statements is rolled back, and each of its updates is run
 * again alone by its own request, so that one update's failure is its own request's only.
 * One that fails for want of a connection fails every request in it.</li>
 * </ul>
 */
final class JdbcUpdateBatches {

	/** The most updates one batch runs, so that no transaction locks many rows. */
	static final int MAX_BATCH = 64;

	private static final Comparator<Pending> BY_ID = Comparator.comparing((pending) -> pending.update.id());

	private final Statements statements;

	private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean running = new AtomicBoolean();

	JdbcUpdateBatches(Statements statements) {
		this.statements = statements;
	}

	/**
	 * Runs {@code update}, alone or in a batch with others, and answers whether it was
	 * applied: false if the session's version was not the one expected, or it is gone.
	 * @throws SessionStoreException if the database failed
	 */
	boolean run(Update update) {
		Pending pending = new Pending(update);
		this.queue.add(pending);
		boolean interrupted = false;
		while (!pending.isDone()) {
			if (this.running.compareAndSet(false, true)) {
				try {
					runBatch();
				}
				finally {
					this.running.set(false);
					wakeNext();
				}
			}
			else {
				LockSupport.park(this);
				interrupted |= Thread.interrupted();
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		return pending.outcome(this.statements);
	}

	private void runBatch() {
		List<Pending> batch = new ArrayList<>();
		Pending next;
		while (batch.size() < MAX_BATCH && (next = this.queue.poll()) != null) {
			batch.add(next);
		}
		try {
			if (batch.size() == 1) {
				Pending only = batch.get(0);
				only.applied(this.statements.updateAlone(only.update));
				return;
			}
			batch.sort(BY_ID);
			boolean @Nullable [] applied = this.statements
				.updateTogether(batch.stream().map((pending) -> pending.update).toList());
			for (int i = 0; i < batch.size(); i++) {
				if (applied == null) {
					batch.get(i).runAlone();
				}
				else {
					batch.get(i).applied(applied[i]);
				}
			}
		}
		catch (RuntimeException | Error ex) {
			for (Pending pending : batch) {
				pending.failed(ex);
			}
		}
	}

	/**
	 * Wakes the first request still queued, if any, to run the next batch: one that
	 * queued after this batch began, and found it running.
	 */
	private void wakeNext() {
		Pending first = this.queue.peek();
		if (first != null) {
			LockSupport.unpark(first.thread);
		}
	}

	/**
	 * How a batch's updates run: the statements of the {@link JdbcSessionStore}.
	 */
	interface Statements {

		/**
		 * Runs {@code update} as one auto-committed statement.
		 * @return whether it was applied
		 */
		boolean updateAlone(Update update);

		/**
		 * Runs {@code updates} in one transaction.
		 * @return whether each was applied, in their order; null if the transaction
		 * failed in its statements and was rolled back
		 * @throws SessionStoreException if it could not run at all
		 */
		boolean @Nullable [] updateTogether(List<Update> updates);

	}

	/**
	 * The columns one update writes, encoded, and the version it expects:
	 * {@link #parameters()} are those of {@link JdbcSessionStore}'s {@code UPDATE}, the
	 * id and the expected version last.
	 */
	record Update(String id, String data, LocalDateTime atime, @Nullable String principalName,
			@Nullable String principalHash, long expectedVersion) {

		Object[] parameters() {
			return new Object[] { this.data, this.atime, this.principalName, this.principalHash, this.id,
					this.expectedVersion };
		}

	}

	/** An update queued by the request of {@link #thread}, and how it ended. */
	private static final class Pending {

		private static final Object ALONE = new Object();

		final Update update;

		final Thread thread = Thread.currentThread();

		/**
		 * Null until done; then a Boolean, {@link #ALONE}, the failure of the batch this
		 * request ran, or a {@link Failure} of one another ran.
		 */
		private volatile @Nullable Object outcome;

		Pending(Update update) {
			this.update = update;
		}

		boolean isDone() {
			return this.outcome != null;
		}

		void applied(boolean applied) {
			end(applied);
		}

		/** Its own request runs it again, alone: the batch it was in was rolled back. */
		void runAlone() {
			end(ALONE);
		}

		void failed(Throwable failure) {
			if (this.outcome == null) {
				end((this.thread == Thread.currentThread()) ? failure : new Failure(failure));
			}
		}

		private void end(Object outcome) {
			this.outcome = outcome;
			if (this.thread != Thread.currentThread()) {
				LockSupport.unpark(this.thread);
			}
		}

		/**
		 * Whether the update was applied, run alone first if its batch was rolled back.
		 * @throws SessionStoreException if it failed
		 */
		boolean outcome(Statements statements) {
			Object outcome = this.outcome;
			if (outcome == ALONE) {
				return statements.updateAlone(this.update);
			}
			if (outcome instanceof Boolean applied) {
				return applied;
			}
			if (outcome instanceof Failure failure) {
				throw new SessionStoreException(String.valueOf(failure.cause().getMessage()), failure.cause());
			}
			if (outcome instanceof Error error) {
				throw error;
			}
			throw (RuntimeException) outcome;
		}

		/** A failure of the batch that another request ran. */
		private record Failure(Throwable cause) {

		}

	}

}
