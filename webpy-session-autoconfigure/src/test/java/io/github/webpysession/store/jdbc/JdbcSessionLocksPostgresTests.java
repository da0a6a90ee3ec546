package io.github.webpysession.store.jdbc;

class JdbcSessionLocksPostgresTests extends JdbcServerSessionLocksTests {

	JdbcSessionLocksPostgresTests() {
		super(TestDatabase.POSTGRESQL, 5432);
	}

}
