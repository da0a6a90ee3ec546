package io.github.webpysession.store.jdbc;

class JdbcSessionStoreH2Tests extends JdbcSessionStoreContractTests {

	JdbcSessionStoreH2Tests() {
		super(TestDatabase.H2);
	}

	@Override
	String expectedProductName() {
		return "H2";
	}

}
