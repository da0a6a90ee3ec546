package io.github.webpysession.store.jdbc;

import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import io.github.webpysession.autoconfigure.SessionAutoConfiguration;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.testsupport.Services;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's migration beside an application's own Flyway migrations, in a PostgreSQL
 * schema of each test's own: neither sees the other's history.
 */
class JdbcFlywayCoexistenceTests {

	private final String schema = "webpy_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	private HikariDataSource admin;

	private JdbcTemplate jdbc;

	@BeforeEach
	void createSchema() {
		Services.postgres();
		this.admin = TestDatabase.POSTGRESQL.dataSource();
		this.jdbc = new JdbcTemplate(this.admin);
		this.jdbc.execute("CREATE SCHEMA " + this.schema);
	}

	@AfterEach
	void dropSchema() {
		if (this.admin != null) {
			this.jdbc.execute("DROP SCHEMA " + this.schema + " CASCADE");
			this.admin.close();
		}
	}

	private WebApplicationContextRunner runner() {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
					SessionAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + Services.POSTGRES_URL + "?currentSchema=" + this.schema,
					"spring.datasource.username=" + Services.POSTGRES_USER,
					"spring.flyway.locations=classpath:io/github/webpysession/store/jdbc/app-migration",
					"session.store=jdbc");
	}

	/**
	 * The application's Flyway, which needs an empty schema, runs first; the starter's
	 * baselines after it.
	 */
	@Test
	void theApplicationsMigrationsAndTheStartersKeepSeparateHistories() {
		runner().run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(SessionStore.class);
			assertThat(tables()).containsExactlyInAnyOrder("app_things", "flyway_schema_history", "sessions",
					"sessions_schema_history");
			assertThat(scripts("flyway_schema_history")).containsExactly("1 V1__app.sql");
			assertThat(scripts("sessions_schema_history")).containsExactly("0 before the session table",
					"1 V1__create_session_table.sql", "2 V2__index_sessions_by_principal.sql");
		});
	}

	@Test
	void aSecondStartupMigratesNothing() {
		runner().run((context) -> assertThat(context).hasNotFailed());
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(scripts("flyway_schema_history")).containsExactly("1 V1__app.sql");
			assertThat(scripts("sessions_schema_history")).containsExactly("0 before the session table",
					"1 V1__create_session_table.sql", "2 V2__index_sessions_by_principal.sql");
		});
	}

	@Test
	void theStoreWorksInTheApplicationsSchema() {
		runner().run((context) -> {
			SessionStore store = context.getBean(SessionStore.class);
			String id = "b".repeat(64);
			assertThat(store.create(id, new byte[] { 7 }, JdbcCleanupTests.NOW)).isTrue();
			assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM " + this.schema + ".sessions", Integer.class))
				.isOne();
		});
	}

	@Test
	void theApplicationsMigrationsRunFirstEvenWhenOneOfItsBeansNeedsTheStoreEarly() {
		runner().withUserConfiguration(EarlyStoreUser.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(scripts("flyway_schema_history")).containsExactly("1 V1__app.sql");
			assertThat(scripts("sessions_schema_history")).containsExactly("0 before the session table",
					"1 V1__create_session_table.sql", "2 V2__index_sessions_by_principal.sql");
		});
	}

	private List<String> tables() {
		return this.jdbc.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = ?",
				String.class, this.schema);
	}

	private List<String> scripts(String historyTable) {
		return this.jdbc.queryForList("SELECT version || ' ' || script FROM " + this.schema + "." + historyTable
				+ " WHERE success ORDER BY installed_rank", String.class);
	}

	/**
	 * An application bean, created before any auto-configured one, that takes the store.
	 */
	@Configuration(proxyBeanMethods = false)
	static class EarlyStoreUser {

		@Bean
		String storeDescription(SessionStore store) {
			return store.toString();
		}

	}

}
