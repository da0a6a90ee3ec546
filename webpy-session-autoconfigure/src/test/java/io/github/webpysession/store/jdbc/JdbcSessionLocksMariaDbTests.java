package io.github.webpysession.store.jdbc;

class JdbcSessionLocksMariaDbTests extends JdbcServerSessionLocksTests {

	JdbcSessionLocksMariaDbTests() {
		super(TestDatabase.MARIADB, 3306);
	}

}
