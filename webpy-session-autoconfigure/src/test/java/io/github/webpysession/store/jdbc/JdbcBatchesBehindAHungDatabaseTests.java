package io.github.webpysession.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.zaxxer.hikari.HikariDataSource;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.testsupport.TcpProxy;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The JDBC store's batches ({@link JdbcBatches}) on PostgreSQL behind a proxy, when the
 * database stops answering while a batch's statement is in flight: the proxy's latency
 * goes from 100 ms to 30 s, well past the driver's socket timeout (1 s) and the pool's
 * wait for a connection (1 s). The batch fails, each of its requests runs again alone,
 * and fails too: every one is answered a store failure within a few of those timeouts,
 * none waits for the database itself; and the store serves again, without a restart,
 * once the database answers.
 */
@Timeout(90)
class JdbcBatchesBehindAHungDatabaseTests extends ConcurrentRequestsOnATestTable {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	/** How long the database hangs for: far beyond any bound the tests assert. */
	private static final Duration HANG = Duration.ofSeconds(30);

	/**
	 * The longest a request of the batch may take once the database hangs: the batch's
	 * statement, then the statement or the wait for a connection of its run alone, each
	 * up to about 1 s, with room for a loaded machine.
	 */
	private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(10);

	private static final int REQUESTS = 6;

	private TcpProxy proxy;

	private HikariDataSource proxied;

	private final List<String> ids = new ArrayList<>();

	@BeforeEach
	void openThroughAProxy() {
		this.table = TestTable.migrated(TestDatabase.POSTGRESQL);
		this.proxy = new TcpProxy(5432);
		this.proxied = TestDatabase.POSTGRESQL
			.dataSource("jdbc:postgresql://127.0.0.1:" + this.proxy.port() + "/test?socketTimeout=1");
		this.proxied.setConnectionTimeout(1000);
		this.proxied.setValidationTimeout(500);
		openOn(this.proxied);
		for (int i = 0; i < REQUESTS; i++) {
			String id = String.format("%04d", i) + "0".repeat(60);
			this.store.create(id, bytes(id), T0);
			this.ids.add(id);
		}
	}

	@AfterEach
	void closeTheProxy() {
		if (this.proxied != null) {
			this.proxied.close();
		}
		if (this.proxy != null) {
			this.proxy.close();
		}
	}

	@Test
	void loadsOfABatchWhoseSelectHangsAreEachAnsweredAStoreFailureInTimeAndTheStoreRecovers() throws Exception {
		List<Future<@Nullable StoredSession>> batched = hangingInTheBatch((id) -> () -> this.store.load(id),
				"UNION ALL");
		assertEachFailedInTime(batched);
		assertServesOnceTheDatabaseAnswers();
	}

	@Test
	void savesOfABatchWhoseUpdatesHangAreEachAnsweredAStoreFailureInTimeAndTheStoreRecovers() throws Exception {
		List<Future<Boolean>> batched = hangingInTheBatch(
				(id) -> () -> this.store.update(id, bytes("saved " + id), T0.plusSeconds(1), 0), "setAutoCommit(false)");
		assertEachFailedInTime(batched);
		assertServesOnceTheDatabaseAnswers();
	}

	/**
	 * Makes the request that {@code request} makes of the first session, held back as it
	 * asks for its connection, and those of the others once it is, so that they queue;
	 * lets the first go behind 100 ms of latency; and makes the database hang as soon as
	 * the batch of the others counts its statement {@code batchStatement}, before its
	 * answer can come back. Answers the others' futures.
	 */
	private <T> List<Future<T>> hangingInTheBatch(Function<String, Callable<T>> request, String batchStatement)
			throws Exception {
		Queued<T> queued = queuedBehindAHeldFirst(this.ids.get(0), this.ids.subList(1, REQUESTS), request);
		this.counting.clear();
		this.proxy.setLatency(Duration.ofMillis(100));
		queued.hold().release();
		queued.first().get(10, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(1))
			.until(() -> this.counting.statements().stream().anyMatch((sql) -> sql.contains(batchStatement)));
		this.proxy.setLatency(HANG);
		return queued.others();
	}

	/**
	 * Asserts that every request ended in a {@link SessionStoreException} within
	 * {@link #ANSWERED_WITHIN} of the hang.
	 */
	private static void assertEachFailedInTime(List<? extends Future<?>> answers) {
		long deadline = System.nanoTime() + ANSWERED_WITHIN.toNanos();
		for (Future<?> answer : answers) {
			long left = Math.max(0, deadline - System.nanoTime());
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> answer.get(left, TimeUnit.NANOSECONDS))
				.havingCause()
				.isInstanceOf(SessionStoreException.class);
		}
	}

	/**
	 * Ends the hang and asserts that every session loads and saves again. A save that
	 * failed in the hang may still have reached the database, hence a save at the
	 * version loaded.
	 */
	private void assertServesOnceTheDatabaseAnswers() {
		this.proxy.setLatency(Duration.ZERO);
		for (String id : this.ids) {
			await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
				StoredSession stored = this.store.load(id);
				assertThat(stored).isNotNull();
				assertThat(this.store.update(id, bytes("again " + id), T0.plusSeconds(2), stored.version())).isTrue();
			});
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
