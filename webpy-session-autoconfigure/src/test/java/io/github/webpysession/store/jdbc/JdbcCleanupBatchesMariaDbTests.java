package io.github.webpysession.store.jdbc;

class JdbcCleanupBatchesMariaDbTests extends JdbcCleanupBatchesTests {

	JdbcCleanupBatchesMariaDbTests() {
		super(TestDatabase.MARIADB);
	}

}
