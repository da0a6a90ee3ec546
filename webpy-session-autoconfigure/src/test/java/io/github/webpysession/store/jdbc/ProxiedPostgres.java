package io.github.webpysession.store.jdbc;

import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import io.github.webpysession.testsupport.Services;
import io.github.webpysession.testsupport.TcpProxy;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * PostgreSQL behind a {@link TcpProxy} that a test stops or slows down, and a table of
 * the test's own, dropped after it: the fixture of the tests of a database that goes
 * away. Registered with {@code @RegisterExtension}; skips the test where PostgreSQL is
 * absent (or fails it, where servers are required).
 */
final class ProxiedPostgres implements BeforeEachCallback, AfterEachCallback {

	/**
	 * How long the pool of an application it starts waits for a connection: an outage is
	 * answered this soon.
	 */
	static final String CONNECTION_TIMEOUT = "--spring.datasource.hikari.connection-timeout=500";

	private final String table = TestDatabase.newTableName();

	private @Nullable TcpProxy proxy;

	@Override
	public void beforeEach(ExtensionContext context) {
		Services.postgres();
		this.proxy = new TcpProxy(5432);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		if (this.proxy == null) {
			return;
		}
		this.proxy.close();
		this.proxy = null;
		try (HikariDataSource dataSource = TestDatabase.POSTGRESQL.dataSource()) {
			TestDatabase.dropTables(dataSource, this.table);
		}
	}

	/** The test's table. */
	String table() {
		return this.table;
	}

	/** The proxy in front of PostgreSQL. */
	TcpProxy proxy() {
		return this.proxy;
	}

	/** The JDBC URL of the database {@code test} through the proxy. */
	String url() {
		return "jdbc:postgresql://127.0.0.1:" + this.proxy.port() + "/test";
	}

	/**
	 * Starts a {@link JdbcTestApplication} on the test's table through the proxy, quick
	 * to give up on a connection ({@value #CONNECTION_TIMEOUT}), plus {@code args}.
	 */
	ConfigurableApplicationContext start(String... args) {
		return JdbcTestApplication.start(url(), Services.POSTGRES_USER, this.table,
				Stream.concat(Stream.of(CONNECTION_TIMEOUT), Stream.of(args)).toArray(String[]::new));
	}

}
