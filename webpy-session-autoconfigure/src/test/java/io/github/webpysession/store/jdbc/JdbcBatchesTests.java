package io.github.webpysession.store.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import io.github.webpysession.store.SessionStoreException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How {@link JdbcBatches} gathers the operations of concurrent requests, on statements
 * that record what they are asked to run (operations named by their session id) and can
 * hold the first until a test lets it go. The store's own tests run its batches of loads
 * and updates on each database.
 */
@Timeout(30)
class JdbcBatchesTests {

	private final ExecutorService requests = Executors.newCachedThreadPool();

	private final RecordingStatements statements = new RecordingStatements();

	private final JdbcBatches<String, Boolean> batches = new JdbcBatches<>((id) -> id, this.statements);

	@AfterEach
	void stopRequests() {
		this.requests.shutdownNow();
	}

	@Test
	void anOperationWhileNoneRunsIsRunAloneByItsOwnRequest() {
		assertThat(this.batches.run("a")).isTrue();
		assertThat(this.statements.alone).containsExactly("a by " + Thread.currentThread().getName());
		assertThat(this.statements.together).isEmpty();
	}

	@Test
	void operationsAskedForWhileOneRunsRunTogetherInOneBatchInTheOrderOfTheirIds() throws Exception {
		List<Future<Boolean>> waiting = whileTheFirstRuns("c", "a", "b");
		assertThat(answers(waiting)).containsOnly(true);
		assertThat(this.statements.together).containsExactly(List.of("a", "b", "c"));
	}

	@Test
	void eachRequestIsAnsweredItsOwnResult() throws Exception {
		this.statements.applied = (id) -> !id.equals("b");
		List<Future<Boolean>> waiting = whileTheFirstRuns("c", "b", "a");
		assertThat(answers(waiting)).containsExactly(true, false, true);
	}

	@Test
	void aNullResultIsAnsweredToItsRequestAsNull() throws Exception {
		this.statements.applied = (id) -> id.equals("missing") ? null : true;
		List<Future<Boolean>> waiting = whileTheFirstRuns("present", "missing");
		assertThat(answers(waiting)).containsExactly(true, null);
	}

	@Test
	void aBatchThatFailedInItsStatementsRunsEachOfItsOperationsAgainAloneByItsOwnRequest() throws Exception {
		this.statements.rollBack = true;
		List<Future<Boolean>> waiting = whileTheFirstRuns("b", "a");
		assertThat(answers(waiting)).containsOnly(true);
		assertThat(this.statements.alone).hasSize(3)
			.contains("b by request b", "a by request a")
			.anySatisfy((run) -> assertThat(run).startsWith("first by "));
	}

	@Test
	void aBatchThatCannotRunFailsEachOfItsRequestsWithTheCause() throws Exception {
		this.statements.failure = new SessionStoreException("database down", new IllegalStateException());
		List<Future<Boolean>> waiting = whileTheFirstRuns("a", "b");
		for (Future<Boolean> request : waiting) {
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(request::get)
				.havingCause()
				.isInstanceOf(SessionStoreException.class)
				.withMessage("database down");
		}
	}

	@Test
	void aFailureOfTheFirstOperationIsItsRequestsOnly() throws Exception {
		this.statements.applied = (id) -> {
			if (id.equals("bad")) {
				throw new SessionStoreException("bad operation", new IllegalStateException());
			}
			return true;
		};
		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> this.batches.run("bad"));
		assertThat(this.batches.run("good")).isTrue();
	}

	@Test
	void aBatchIsAtMostItsLimitAndTheRestRunInTheNext() throws Exception {
		String[] ids = new String[JdbcBatches.MAX_BATCH + 5];
		for (int i = 0; i < ids.length; i++) {
			ids[i] = String.format("%03d", i);
		}
		List<Future<Boolean>> waiting = whileTheFirstRuns(ids);
		assertThat(answers(waiting)).hasSize(ids.length).containsOnly(true);
		assertThat(this.statements.together)
			.allSatisfy((batch) -> assertThat(batch).hasSizeLessThanOrEqualTo(JdbcBatches.MAX_BATCH));
		assertThat(this.statements.together.stream().mapToInt(List::size).sum() + this.statements.alone.size() - 1)
			.isEqualTo(ids.length);
	}

	@Test
	void manyRequestsAtOnceAreEachAnsweredOnceAndNoneIsLeftWaiting() throws Exception {
		int requests = 16;
		int operationsEach = 1_000;
		Set<String> ran = ConcurrentHashMap.newKeySet();
		this.statements.applied = (id) -> {
			LockSupport.parkNanos(10_000);
			return ran.add(id);
		};
		List<Future<Integer>> done = new ArrayList<>();
		for (int r = 0; r < requests; r++) {
			int request = r;
			done.add(this.requests.submit(() -> {
				int applied = 0;
				for (int i = 0; i < operationsEach; i++) {
					applied += this.batches.run(request + "-" + i) ? 1 : 0;
				}
				return applied;
			}));
		}
		for (Future<Integer> request : done) {
			assertThat(request.get()).isEqualTo(operationsEach);
		}
		assertThat(ran).hasSize(requests * operationsEach);
		assertThat(this.statements.together).as("some operations ran together").isNotEmpty();
	}

	@Test
	void anInterruptedRequestStillWaitsForItsOperationAndKeepsItsInterrupt() throws Exception {
		CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
		List<Future<Boolean>> waiting = whileTheFirstRuns(() -> {
			Thread.currentThread().interrupt();
			boolean applied = this.batches.run("a");
			interruptedAfter.complete(Thread.currentThread().isInterrupted());
			return applied;
		});
		assertThat(answers(waiting)).containsOnly(true);
		assertThat(interruptedAfter.get()).isTrue();
	}

	/**
	 * Runs operation "first", held until the requests of {@code ids} are waiting, then lets
	 * it go; answers the futures of those requests.
	 */
	private List<Future<Boolean>> whileTheFirstRuns(String... ids) throws Exception {
		List<Callable<Boolean>> requests = new ArrayList<>();
		for (String id : ids) {
			requests.add(() -> {
				Thread.currentThread().setName("request " + id);
				return this.batches.run(id);
			});
		}
		return whileTheFirstRuns(requests.toArray(Callable[]::new));
	}

	@SafeVarargs
	private List<Future<Boolean>> whileTheFirstRuns(Callable<Boolean>... requests) throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.statements.holdFirst = release;
		Future<Boolean> first = this.requests.submit(() -> this.batches.run("first"));
		this.statements.firstRunning.await();
		List<Future<Boolean>> waiting = new ArrayList<>();
		for (Callable<Boolean> request : requests) {
			waiting.add(this.requests.submit(request));
		}
		while (queued() < requests.length) {
			Thread.onSpinWait();
		}
		release.countDown();
		assertThat(first.get()).isTrue();
		return waiting;
	}

	/** How many requests are waiting for their operation: parked in the batches. */
	private int queued() {
		int parked = 0;
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			parked += (LockSupport.getBlocker(thread) == this.batches) ? 1 : 0;
		}
		return parked;
	}

	private static List<Boolean> answers(List<Future<Boolean>> requests) throws Exception {
		List<Boolean> answers = new ArrayList<>();
		for (Future<Boolean> request : requests) {
			answers.add(request.get(10, TimeUnit.SECONDS));
		}
		return answers;
	}

	/**
	 * Statements that record each run, by session id, and answer as a test sets them to.
	 */
	private static final class RecordingStatements implements JdbcBatches.Statements<String, Boolean> {

		final List<String> alone = new CopyOnWriteArrayList<>();

		final List<List<String>> together = new CopyOnWriteArrayList<>();

		final CountDownLatch firstRunning = new CountDownLatch(1);

		volatile @Nullable CountDownLatch holdFirst;

		volatile Function<String, Boolean> applied = (id) -> true;

		volatile boolean rollBack;

		volatile @Nullable SessionStoreException failure;

		@Override
		public Boolean runAlone(String id) {
			this.alone.add(id + " by " + Thread.currentThread().getName());
			if (id.equals("first")) {
				this.firstRunning.countDown();
				await(this.holdFirst);
			}
			return this.applied.apply(id);
		}

		@Override
		public @Nullable List<Boolean> runTogether(List<String> ids) {
			this.together.add(List.copyOf(ids));
			SessionStoreException failure = this.failure;
			if (failure != null) {
				throw failure;
			}
			if (this.rollBack) {
				return null;
			}
			return ids.stream().map(this.applied).toList();
		}

		private static void await(@Nullable CountDownLatch latch) {
			try {
				if (latch != null && !latch.await(10, TimeUnit.SECONDS)) {
					throw new IllegalStateException("the test never let the first operation go");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

}
