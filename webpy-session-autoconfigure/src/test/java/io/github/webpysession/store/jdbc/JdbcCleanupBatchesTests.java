package io.github.webpysession.store.jdbc;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.github.webpysession.store.CleanupBatches;
import io.github.webpysession.store.CleanupBatchesContractTests;
import io.github.webpysession.store.SessionStore;

/**
 * The JDBC store's cleanup in batches, on each database: its rows are inserted in one
 * JDBC batch rather than one create each.
 */
abstract class JdbcCleanupBatchesTests extends CleanupBatchesContractTests {

	private final TestDatabase database;

	private TestTable fixture;

	JdbcCleanupBatchesTests(TestDatabase database) {
		this.database = database;
	}

	@Override
	protected SessionStore createStore(CleanupBatches batches) {
		this.fixture = TestTable.migrated(this.database);
		return new JdbcSessionStore(this.fixture.dataSource(), this.fixture.name(), batches);
	}

	/** The table of the store under test. */
	protected TestTable fixture() {
		return this.fixture;
	}

	@Override
	protected void closeStore(SessionStore store) {
		if (this.fixture != null) {
			this.fixture.close();
		}
	}

	@Override
	protected void fill(List<String> ids, Instant lastAccessed) {
		LocalDateTime atime = LocalDateTime.ofInstant(lastAccessed, ZoneOffset.UTC);
		this.fixture.jdbc()
			.batchUpdate(
					"INSERT INTO " + this.fixture.name() + " (session_id, data, atime, version) VALUES (?, ?, ?, 0)",
					ids.stream().map((id) -> new Object[] { id, "AQ==", atime }).toList());
	}

}
