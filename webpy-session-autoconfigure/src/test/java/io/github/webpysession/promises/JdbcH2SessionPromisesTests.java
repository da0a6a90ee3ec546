package io.github.webpysession.promises;

import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import org.h2.tools.Server;
import org.jspecify.annotations.Nullable;

/**
 * The matrix on the JDBC store on H2: an in-memory database served over TCP by this JVM,
 * so that the proxy can cut it off like a server database.
 */
class JdbcH2SessionPromisesTests extends JdbcSessionPromisesTests {

	private final String database = "promises_" + UUID.randomUUID().toString().replace("-", "");

	private @Nullable Server server;

	@Override
	void requireServer() {
		try {
			this.server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not start an H2 TCP server", ex);
		}
	}

	@Override
	int serverPort() {
		return this.server.getPort();
	}

	@Override
	String url(int port) {
		return "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:" + this.database + ";DB_CLOSE_DELAY=-1";
	}

	@Override
	String user() {
		return "sa";
	}

	@Override
	Duration latency() {
		return Duration.ZERO;
	}

	@Override
	protected void afterApplication() {
		try {
			super.afterApplication();
		}
		finally {
			this.server.stop();
		}
	}

}
