package io.github.webpysession.store.jdbc;

class JdbcCleanupBatchesPostgresTests extends JdbcCleanupBatchesTests {

	JdbcCleanupBatchesPostgresTests() {
		super(TestDatabase.POSTGRESQL);
	}

}
