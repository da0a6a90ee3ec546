package io.github.webpysession.promises;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import io.github.webpysession.store.jdbc.JdbcSessionSchema;
import io.github.webpysession.testsupport.StoreFault;
import io.github.webpysession.testsupport.TcpProxy;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The matrix on the JDBC store, on a database server reached through a {@link TcpProxy}:
 * its latency is the network's, and its outage is the fault. Every class has a table of
 * its own.
 */
abstract class JdbcSessionPromisesTests extends SessionPromisesTests {

	/**
	 * How long a stopped fault waits for the pool to check its connections again: Hikari
	 * hands out a connection used in the last 500 ms without checking it, and an outage
	 * lasts longer.
	 */
	private static final Duration POOL_TRUST = Duration.ofMillis(600);

	/**
	 * How long the pool waits for a connection while the database is cut off: a fault is
	 * answered this soon.
	 */
	private static final Duration DURING_FAULT = Duration.ofMillis(500);

	/**
	 * How long it waits otherwise: far above any wait on a loaded machine, where a
	 * request that a test expects to succeed would otherwise fail for want of a
	 * connection.
	 */
	private static final Duration GENEROUS = Duration.ofSeconds(15);

	/** How long a connection may take to answer that it is alive, outside a fault. */
	private static final Duration GENEROUS_VALIDATION = Duration.ofSeconds(5);

	final String table = "promises_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	private @Nullable TcpProxy proxy;

	/**
	 * Skips the class where the server is absent (or fails it, where servers are
	 * required).
	 */
	abstract void requireServer();

	/** The server's port, the proxy's target. */
	abstract int serverPort();

	/** The JDBC URL of the database on {@code port}. */
	abstract String url(int port);

	abstract String user();

	/**
	 * Cuts the database off: the proxy {@link TcpProxy#reject() closes} every connection
	 * at once. It keeps listening, since a port it gave up could be taken meanwhile by
	 * another process's connection, and clients that retry a refused connection (H2's
	 * does, for seconds) fail at once.
	 */
	void cutOff(TcpProxy proxy) {
		proxy.reject();
	}

	/** The latency the proxy adds to each chunk, either way. */
	Duration latency() {
		return Duration.ofNanos(300_000);
	}

	@Override
	protected void beforeApplication() {
		requireServer();
		this.proxy = new TcpProxy(serverPort());
		this.proxy.setLatency(latency());
	}

	@Override
	protected Map<String, String> storeProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("session.store", "jdbc");
		properties.put("session.jdbc.table-name", this.table);
		properties.put("spring.datasource.url", url(this.proxy.port()));
		properties.put("spring.datasource.username", user());
		properties.put("spring.datasource.password", "");
		properties.put("spring.datasource.hikari.connection-timeout", String.valueOf(GENEROUS.toMillis()));
		properties.put("spring.datasource.hikari.validation-timeout", String.valueOf(GENEROUS_VALIDATION.toMillis()));
		return properties;
	}

	/**
	 * Sets how long the pool waits for a connection, and for one to answer that it is
	 * alive: Hikari takes both at runtime.
	 */
	private void poolTimeouts(Duration connection, Duration validation) {
		HikariConfigMXBean pool = bean(HikariDataSource.class).getHikariConfigMXBean();
		pool.setConnectionTimeout(connection.toMillis());
		pool.setValidationTimeout(validation.toMillis());
	}

	@Override
	protected StoreFault fault() {
		TcpProxy proxy = this.proxy;
		return new StoreFault() {

			@Override
			public void start() {
				poolTimeouts(DURING_FAULT, DURING_FAULT.dividedBy(2));
				cutOff(proxy);
			}

			@Override
			public void stop() {
				proxy.start();
				poolTimeouts(GENEROUS, GENEROUS_VALIDATION);
				try {
					Thread.sleep(POOL_TRUST.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}

		};
	}

	@Test
	void aTableDroppedAfterItsMigrationStopsStartupNamingIt() {
		String dropped = this.table + "_dropped";
		Map<String, String> onDropped = Map.of("session.jdbc.table-name", dropped);
		try {
			try (HikariDataSource dataSource = new HikariDataSource()) {
				dataSource.setJdbcUrl(url(serverPort()));
				dataSource.setUsername(user());
				new JdbcSessionSchema(dataSource, dropped, null).migrate();
			}
			execute("DROP TABLE " + dropped);

			assertThatThrownBy(() -> start(onDropped).close()).satisfies((failure) -> assertThat(messages(failure))
				.anySatisfy((message) -> assertThat(message).contains(dropped)));
		}
		finally {
			dropTables(dropped);
		}
	}

	private static List<String> messages(Throwable failure) {
		List<String> messages = new ArrayList<>();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.add(String.valueOf(cause.getMessage()));
		}
		return messages;
	}

	@Override
	protected void afterApplication() {
		if (this.proxy != null) {
			this.proxy.close();
			dropTables(this.table);
		}
	}

	/** Drops {@code table} and its schema history. */
	private void dropTables(String table) {
		execute("DROP TABLE IF EXISTS " + table);
		execute("DROP TABLE IF EXISTS " + table + "_schema_history");
	}

	/** Runs {@code sql} on a connection of its own, around the proxy. */
	private void execute(String sql) {
		try (Connection connection = DriverManager.getConnection(url(serverPort()), user(), "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run " + sql, ex);
		}
	}

}
