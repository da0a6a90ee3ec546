package io.github.webpysession.store.jdbc;

class JdbcCleanupBatchesH2Tests extends JdbcCleanupBatchesTests {

	JdbcCleanupBatchesH2Tests() {
		super(TestDatabase.H2);
	}

}
