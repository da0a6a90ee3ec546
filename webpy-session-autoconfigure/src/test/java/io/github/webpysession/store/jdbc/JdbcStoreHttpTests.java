package io.github.webpysession.store.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import io.github.webpysession.testsupport.Services;
import io.github.webpysession.testsupport.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The JDBC store on PostgreSQL behind real embedded servers: instances that share a
 * table, and a database that goes away and comes back.
 */
class JdbcStoreHttpTests {

	private static final String COOKIE = "webpy_session_id";

	private final String table = TestDatabase.newTableName();

	private TcpProxy proxy;

	@BeforeEach
	void requirePostgres() {
		Services.postgres();
		this.proxy = new TcpProxy(5432);
	}

	@AfterEach
	void dropTable() {
		this.proxy.close();
		try (HikariDataSource dataSource = TestDatabase.POSTGRESQL.dataSource()) {
			TestDatabase.dropTables(dataSource, this.table);
		}
	}

	@Test
	void twoInstancesOnOneTableShareASession() {
		try (ConfigurableApplicationContext first = start(Services.POSTGRES_URL);
				ConfigurableApplicationContext second = start(Services.POSTGRES_URL)) {
			HttpClientWithCookies one = new HttpClientWithCookies(JdbcTestApplication.port(first));
			HttpClientWithCookies two = new HttpClientWithCookies(JdbcTestApplication.port(second));
			assertThat(one.get("/count").body()).isEqualTo("1");
			assertThat(one.get("/count").body()).isEqualTo("2");
			two.setCookie(COOKIE, one.cookie(COOKIE));

			assertThat(two.get("/count").body()).isEqualTo("3");
			assertThat(one.get("/count").body()).isEqualTo("4");
			assertThat(two.get("/reset").statusCode()).isEqualTo(200);
			assertThat(one.get("/count").body()).isEqualTo("1");
		}
	}

	@Test
	void sessionRequestsAnswer503WhileTheDatabaseIsDownAndRecoverWhilePlainRequestsStay200() {
		try (ConfigurableApplicationContext context = start(proxiedUrl())) {
			HttpClientWithCookies client = new HttpClientWithCookies(JdbcTestApplication.port(context));
			assertThat(client.get("/count").body()).isEqualTo("1");

			this.proxy.stop();
			assertThat(client.get("/count").statusCode()).isEqualTo(503);
			assertThat(client.get("/plain").statusCode()).isEqualTo(200);

			this.proxy.start();
			await().atMost(Duration.ofSeconds(15)).until(() -> client.get("/count").statusCode() == 200);
			assertThat(client.get("/count").body()).isEqualTo("3");
		}
	}

	@Test
	void withInitializeSchemaNeverTheApplicationStartsWhileTheDatabaseIsDownAndServesOnceItIsBack() {
		try (HikariDataSource dataSource = TestDatabase.POSTGRESQL.dataSource()) {
			new JdbcSessionSchema(dataSource, this.table, null).migrate();
		}
		this.proxy.stop();
		try (ConfigurableApplicationContext context = start(proxiedUrl(), "--session.jdbc.initialize-schema=never")) {
			HttpClientWithCookies client = new HttpClientWithCookies(JdbcTestApplication.port(context));
			assertThat(client.get("/plain").statusCode()).isEqualTo(200);
			assertThat(client.get("/count").statusCode()).isEqualTo(503);

			this.proxy.start();
			await().atMost(Duration.ofSeconds(15)).until(() -> client.get("/count").statusCode() == 200);
			assertThat(client.get("/count").body()).isEqualTo("2");
		}
	}

	@Test
	void theStoreThrowsWhileTheDatabaseIsDownAndTheSameStoreWorksOnceItIsBack() {
		try (HikariDataSource dataSource = TestDatabase.POSTGRESQL.dataSource(proxiedUrl())) {
			dataSource.setConnectionTimeout(500);
			new JdbcSessionSchema(dataSource, this.table, null).migrate();
			JdbcSessionStore store = new JdbcSessionStore(dataSource, this.table);
			String id = "a".repeat(64);
			store.create(id, new byte[] { 1 }, JdbcCleanupTests.NOW);

			this.proxy.stop();
			assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> store.load(id))
				.withMessageStartingWith("JDBC session store, table " + this.table + " on PostgreSQL: cannot load")
				.withCauseInstanceOf(SQLException.class);

			this.proxy.start();
			await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> store.load(id) != null);
			assertThat(store.load(id).data()).containsExactly(1);
		}
	}

	private String proxiedUrl() {
		return "jdbc:postgresql://127.0.0.1:" + this.proxy.port() + "/test";
	}

	private ConfigurableApplicationContext start(String url, String... args) {
		return JdbcTestApplication.start(url, Services.POSTGRES_USER, this.table,
				Stream.concat(Stream.of("--spring.datasource.hikari.connection-timeout=500"), Stream.of(args))
					.toArray(String[]::new));
	}

}
