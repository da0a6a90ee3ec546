package io.github.webpysession.store.jdbc;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;

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

	@AfterEach
	void stopRequests() {
		this.requests.shutdownNow();
	}

}
