package io.github.webpysession.store.jdbc;

import java.sql.SQLException;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import io.github.webpysession.testsupport.Services;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

	@RegisterExtension
	final ProxiedPostgres postgres = new ProxiedPostgres();

	@Test
	void twoInstancesOnOneTableShareASession() {
		try (ConfigurableApplicationContext first = startDirect();
				ConfigurableApplicationContext second = startDirect()) {
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
		try (ConfigurableApplicationContext context = this.postgres.start()) {
			HttpClientWithCookies client = new HttpClientWithCookies(JdbcTestApplication.port(context));
			assertThat(client.get("/count").body()).isEqualTo("1");

			this.postgres.proxy().stop();
			assertThat(client.get("/count").statusCode()).isEqualTo(503);
			assertThat(client.get("/plain").statusCode()).isEqualTo(200);

			this.postgres.proxy().start();
			await().atMost(Duration.ofSeconds(30)).until(() -> client.get("/count").statusCode() == 200);
			assertThat(client.get("/count").body()).isEqualTo("3");
		}
	}

	@Test
	void withInitializeSchemaNeverTheApplicationStartsWhileTheDatabaseIsDownAndServesOnceItIsBack() {
		try (HikariDataSource dataSource = TestDatabase.POSTGRESQL.dataSource()) {
			new JdbcSessionSchema(dataSource, this.postgres.table(), null).migrate();
		}
		this.postgres.proxy().stop();
		try (ConfigurableApplicationContext context = this.postgres.start("--session.jdbc.initialize-schema=never")) {
			HttpClientWithCookies client = new HttpClientWithCookies(JdbcTestApplication.port(context));
			assertThat(client.get("/plain").statusCode()).isEqualTo(200);
			assertThat(client.get("/count").statusCode()).isEqualTo(503);

			this.postgres.proxy().start();
			await().atMost(Duration.ofSeconds(30)).until(() -> client.get("/count").statusCode() == 200);
			assertThat(client.get("/count").body()).isEqualTo("2");
		}
	}

	@Test
	void theStoreThrowsWhileTheDatabaseIsDownAndTheSameStoreWorksOnceItIsBack() {
		try (HikariDataSource dataSource = TestDatabase.POSTGRESQL.dataSource(this.postgres.url())) {
			dataSource.setConnectionTimeout(500);
			new JdbcSessionSchema(dataSource, this.postgres.table(), null).migrate();
			JdbcSessionStore store = new JdbcSessionStore(dataSource, this.postgres.table());
			String id = "a".repeat(64);
			store.create(id, new byte[] { 1 }, JdbcCleanupTests.NOW);

			this.postgres.proxy().stop();
			assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> store.load(id))
				.withMessageStartingWith(
						"JDBC session store, table " + this.postgres.table() + " on PostgreSQL: cannot load")
				.withCauseInstanceOf(SQLException.class);

			this.postgres.proxy().start();
			await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> store.load(id) != null);
			assertThat(store.load(id).data()).containsExactly(1);
		}
	}

	/**
	 * An instance on the test's table, on PostgreSQL itself, which stays up: with the
	 * pool's default wait for a connection, which a loaded machine never exceeds.
	 */
	private ConfigurableApplicationContext startDirect() {
		return JdbcTestApplication.start(Services.POSTGRES_URL, Services.POSTGRES_USER, this.postgres.table());
	}

}
