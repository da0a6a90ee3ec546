package io.github.webpysession.promises;

import io.github.webpysession.testsupport.Services;

/** The matrix on the JDBC store on MariaDB, a few hundred microseconds away. */
class JdbcMariaDbSessionPromisesTests extends JdbcSessionPromisesTests {

	@Override
	void requireServer() {
		Services.mariadb();
	}

	@Override
	int serverPort() {
		return 3306;
	}

	@Override
	String url(int port) {
		return "jdbc:mariadb://127.0.0.1:" + port + "/test?socketTimeout=20000";
	}

	@Override
	String user() {
		return Services.MARIADB_USER;
	}

}
