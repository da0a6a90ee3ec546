package io.github.webpysession.promises;

import io.github.webpysession.testsupport.Services;

/** The matrix on the JDBC store on PostgreSQL, a few hundred microseconds away. */
class JdbcPostgresSessionPromisesTests extends JdbcSessionPromisesTests {

	@Override
	void requireServer() {
		Services.postgres();
	}

	@Override
	int serverPort() {
		return 5432;
	}

	@Override
	String url(int port) {
		return "jdbc:postgresql://127.0.0.1:" + port + "/test?socketTimeout=20";
	}

	@Override
	String user() {
		return Services.POSTGRES_USER;
	}

}
