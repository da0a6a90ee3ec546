package io.github.webpysession.store.jdbc;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

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
	 * Kills, from the database's side, the one connection whose statement on the test's
	 * table, one {@code LIKE statement}, waits for a lock, once one does: on PostgreSQL
	 * and MariaDB, whose drivers then fail what runs on it.
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

}
