package io.github.webpysession.store.jdbc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import io.github.webpysession.store.SessionStoreException;
import org.jspecify.annotations.Nullable;

/**
 * The operations of one kind (loads, updates) that requests ask for while another of that
 * kind runs, run together: one batch of statements on one connection, so that a busy
 * application pays one round trip and one borrowed connection per batch rather than per
 * request (and, for updates, one commit), each request still answered only once its own
 * operation is done.
 * <ul>
 * <li>No thread of its own: the request that finds none running runs the batch of every
 * operation queued by then, its own included, while their requests wait; as it finishes,
 * it wakes the first request still queued to run the next batch. An operation asked for
 * while none runs is run at once by its own request, alone, as it would be without
 * batches.</li>
 * <li>A batch runs in the order of session ids, so that the batches of two instances on
 * one table lock their rows in the same order and never deadlock.</li>
 * <li>A batch that fails in its statements, and says so by answering no results, is run
 * again operation by operation, each by its own request, so that one operation's failure
 * is its own request's only. One that fails for want of a connection fails every request
 * in it.</li>
 * </ul>
 *
 * @param <O> an operation
 * @param <R> its result
 */
final class JdbcBatches<O, R extends @Nullable Object> {

	/** The most operations one batch runs, so that no statement or transaction grows large. */
	static final int MAX_BATCH = 64;

	private final Comparator<Pending<O, R>> byId;

	private final Statements<O, R> statements;

	private final ConcurrentLinkedQueue<Pending<O, R>> queue = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean running = new AtomicBoolean();

	/**
	 * Batches of operations run by {@code statements}, each operation about the session
	 * whose id {@code sessionId} tells.
	 */
	JdbcBatches(Function<O, String> sessionId, Statements<O, R> statements) {
		this.byId = Comparator.comparing((pending) -> sessionId.apply(pending.operation));
		this.statements = statements;
	}

	/**
	 * Runs {@code operation}, alone or in a batch with others, and answers its result.
	 * @throws SessionStoreException if the database failed
	 */
	R run(O operation) {
		Pending<O, R> pending = new Pending<>(operation);
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
		List<Pending<O, R>> batch = new ArrayList<>();
		Pending<O, R> next;
		while (batch.size() < MAX_BATCH && (next = this.queue.poll()) != null) {
			batch.add(next);
		}
		try {
			if (batch.size() == 1) {
				Pending<O, R> only = batch.get(0);
				only.done(this.statements.runAlone(only.operation));
				return;
			}
			batch.sort(this.byId);
			List<R> results = this.statements.runTogether(batch.stream().map((pending) -> pending.operation).toList());
			for (int i = 0; i < batch.size(); i++) {
				if (results == null) {
					batch.get(i).runAlone();
				}
				else {
					batch.get(i).done(results.get(i));
				}
			}
		}
		catch (RuntimeException | Error ex) {
			for (Pending<O, R> pending : batch) {
				pending.failed(ex);
			}
		}
	}

	/**
	 * Wakes the first request still queued, if any, to run the next batch: one that
	 * queued after this batch began, and found it running.
	 */
	private void wakeNext() {
		Pending<O, R> first = this.queue.peek();
		if (first != null) {
			LockSupport.unpark(first.thread);
		}
	}

	/**
	 * How a batch's operations run: the statements of the {@link JdbcSessionStore}.
	 *
	 * @param <O> an operation
	 * @param <R> its result
	 */
	interface Statements<O, R extends @Nullable Object> {

		/**
		 * Runs {@code operation} alone, as it would run without batches.
		 * @return its result
		 */
		R runAlone(O operation);

		/**
		 * Runs {@code operations} together.
		 * @return the result of each, in their order; null if they failed in their
		 * statements (and were rolled back), so that each runs again alone
		 * @throws SessionStoreException if they could not run at all
		 */
		@Nullable List<R> runTogether(List<O> operations);

	}

	/** An operation queued by the request of {@link #thread}, and how it ended. */
	private static final class Pending<O, R extends @Nullable Object> {

		private static final Object ALONE = new Object();

		final O operation;

		final Thread thread = Thread.currentThread();

		/**
		 * Null until done; then a {@link Result}, {@link #ALONE}, the failure of the batch
		 * this request ran, or a {@link Failure} of one another ran.
		 */
		private volatile @Nullable Object outcome;

		Pending(O operation) {
			this.operation = operation;
		}

		boolean isDone() {
			return this.outcome != null;
		}

		void done(R result) {
			end(new Result<>(result));
		}

		/** Its own request runs it again, alone: the batch it was in failed. */
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
		 * The operation's result, run alone first if its batch failed.
		 * @throws SessionStoreException if it failed
		 */
		@SuppressWarnings("unchecked")
		R outcome(Statements<O, R> statements) {
			Object outcome = this.outcome;
			if (outcome == ALONE) {
				return statements.runAlone(this.operation);
			}
			if (outcome instanceof Result<?> result) {
				return (R) result.value();
			}
			if (outcome instanceof Failure failure) {
				throw new SessionStoreException(String.valueOf(failure.cause().getMessage()), failure.cause());
			}
			if (outcome instanceof Error error) {
				throw error;
			}
			throw (RuntimeException) outcome;
		}

		/** The result of an operation that ran, which may be null. */
		private record Result<R extends @Nullable Object>(R value) {

		}

		/** A failure of the batch that another request ran. */
		private record Failure(Throwable cause) {

		}

	}

}
