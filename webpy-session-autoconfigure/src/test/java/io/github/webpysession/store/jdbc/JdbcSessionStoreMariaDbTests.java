package io.github.webpysession.store.jdbc;

class JdbcSessionStoreMariaDbTests extends JdbcSessionStoreContractTests {

	JdbcSessionStoreMariaDbTests() {
		super(TestDatabase.MARIADB);
	}

	@Override
	String expectedProductName() {
		return "MariaDB";
	}

}
