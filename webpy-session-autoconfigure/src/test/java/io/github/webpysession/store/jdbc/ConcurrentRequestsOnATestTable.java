package io.github.webpysession.store.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import javax.sql.DataSource;

import io.github.webpysession.store.jdbc.CountingDataSource.Hold;
import org.junit.jupiter.api.AfterEach;

import static org.awaitility.Awaitility.await;

/**
 * Tests of a store on a {@link TestTable} of their own, whose statements are counted, and
 * threads to run requests at once.
 */
abstract class ConcurrentRequestsOnATestTable extends OnATestTable {

	final CountingDataSource counting = new CountingDataSource();

	final ExecutorService requests = Executors.newCachedThreadPool();

	/** The store on the test's table, once it opened one. */
	JdbcSessionStore store;

	/** A new table on {@code database}, and a store on it through the table's pool. */
	void open(TestDatabase database) {
		this.table = TestTable.migrated(database);
		openOn(this.table.dataSource());
	}

	/** A store on the test's table through {@code dataSource}. */
	void openOn(DataSource dataSource) {
		this.store = new JdbcSessionStore(this.counting.wrap(dataSource), this.table.name());
	}

	/**
	 * Makes {@code request} of session {@code first}, held back as it asks the pool for
	 * its connection, then that of each of {@code others} once it is, and waits until
	 * these wait for a batch behind it. The test lets the first go.
	 */
	<T> Queued<T> queuedBehindAHeldFirst(String first, List<String> others, Function<String, Callable<T>> request)
			throws InterruptedException {
		Hold hold = this.counting.holdNextConnection();
		Future<T> held = this.requests.submit(request.apply(first));
		hold.awaitBorrower();
		List<Future<T>> queued = new ArrayList<>();
		for (String id : others) {
			queued.add(this.requests.submit(request.apply(id)));
		}
		ParkedInBatches.awaitCount(others.size());
		return new Queued<>(hold, held, queued);
	}

	/**
	 * Kills, from the database's side, the one connection running a statement on the
	 * test's table {@code LIKE statement} (on PostgreSQL, one waiting for a lock), once
	 * there is one: on PostgreSQL and MariaDB, whose drivers then fail what runs on it.
	 */
	void killTheConnectionWaitingIn(String statement) {
		String waiting = switch (this.table.database()) {
			case POSTGRESQL -> "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?";
			case MARIADB -> "SELECT id FROM information_schema.processlist WHERE info LIKE ? AND id <> CONNECTION_ID()";
			case H2 -> throw new IllegalStateException("H2 runs in this JVM: there is no connection to kill");
		};
		long connection = await().atMost(Duration.ofSeconds(10))
			.until(() -> this.table.jdbc().queryForList(waiting, Long.class, statement), (found) -> found.size() == 1)
			.get(0);
		this.table.jdbc()
			.execute((this.table.database() == TestDatabase.POSTGRESQL) ? "SELECT pg_terminate_backend(" + connection + ")"
					: "KILL CONNECTION " + connection);
	}

	@AfterEach
	void stopRequests() {
		this.requests.shutdownNow();
	}

	/**
	 * Requests queued behind a first one, held back as it asks for its connection.
	 *
	 * @param <T> what a request answers
	 * @param hold the first request's hold, for the test to release
	 * @param first the first request's answer
	 * @param others the answers of those queued behind it, in their order
	 */
	record Queued<T>(Hold hold, Future<T> first, List<Future<T>> others) {

	}

}
