package io.github.webpysession.store.jdbc;

class JdbcSessionStorePostgresTests extends JdbcSessionStoreContractTests {

	JdbcSessionStorePostgresTests() {
		super(TestDatabase.POSTGRESQL);
	}

	@Override
	String expectedProductName() {
		return "PostgreSQL";
	}

}
