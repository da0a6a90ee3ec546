package io.github.webpysession.store.jdbc;

import java.time.Instant;

import javax.sql.DataSource;

import io.github.webpysession.autoconfigure.SessionAutoConfiguration;
import io.github.webpysession.store.LocalSessionLocks;
import io.github.webpysession.store.SessionLocks;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.memory.MemorySessionStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How {@code session.store=jdbc} configures itself, on an in-memory H2 database, or on a
 * PostgreSQL URL where nothing listens.
 */
class JdbcStoreConfigurationTests {

	private static final String UNREACHABLE = "jdbc:postgresql://127.0.0.1:1/test";

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SessionAutoConfiguration.class))
		.withPropertyValues("session.store=jdbc");

	private WebApplicationContextRunner onH2() {
		return this.runner.withPropertyValues("spring.datasource.url=" + TestDatabase.H2.url());
	}

	@Test
	void theStoreIsTheJdbcStoreOnTheApplicationsDataSourceWithItsTableCreated() {
		onH2().withPropertyValues("session.jdbc.table-name=web_sessions").run((context) -> {
			assertThat(context).getBean(SessionStore.class).isInstanceOf(JdbcSessionStore.class);
			assertThat(tableCount(jdbc(context), "WEB_SESSIONS")).isOne();
		});
	}

	@Test
	void withoutADatabaseUrlTheStoreRunsOnAnEmbeddedH2() {
		this.runner.run((context) -> {
			SessionStore store = context.getBean(SessionStore.class);
			assertThat(store.create("e".repeat(64), new byte[] { 1 }, Instant.EPOCH)).isTrue();
			assertThat(store).hasToString("JDBC session store, table sessions on H2");
		});
	}

	@Test
	void aSchemaQualifiedTableIsCreatedInThatSchema() {
		onH2().withPropertyValues("session.jdbc.table-name=web.sessions").run((context) -> {
			SessionStore store = context.getBean(SessionStore.class);
			assertThat(store.create("c".repeat(64), new byte[] { 1 }, Instant.EPOCH)).isTrue();
			assertThat(jdbc(context).queryForObject("SELECT COUNT(*) FROM web.sessions", Integer.class)).isOne();
		});
	}

	@Test
	void initializeSchemaNeverCreatesNoTable() {
		onH2().withPropertyValues("session.jdbc.initialize-schema=never").run((context) -> {
			assertThat(context).hasSingleBean(JdbcSessionStore.class)
				.doesNotHaveBean(JdbcSessionSchemaInitializer.class);
			assertThat(tableCount(jdbc(context), "SESSIONS")).isZero();
		});
	}

	@Test
	void theTableIsCreatedByASchemaInitializerBeanOfItsOwn() {
		onH2().run((context) -> {
			assertThat(context).hasSingleBean(JdbcSessionSchemaInitializer.class);
			assertThat(tableCount(jdbc(context), "SESSIONS")).isOne();
		});
	}

	@Test
	void anApplicationsOwnSchemaInitializerReplacesTheStarters() {
		onH2().withUserConfiguration(OwnSchemaInitializer.class).run((context) -> {
			assertThat(context).getBean(JdbcSessionSchemaInitializer.class).isInstanceOf(CountingInitializer.class);
			assertThat(context.getBean(CountingInitializer.class).runs).isOne();
			assertThat(tableCount(jdbc(context), "SESSIONS")).isZero();
		});
	}

	@Test
	void flywayCustomizersChangeTheStartersMigrationOnly() {
		onH2().withUserConfiguration(InstalledByCustomizer.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(jdbc(context).queryForList("SELECT DISTINCT \"installed_by\" FROM sessions_schema_history",
					String.class))
				.containsExactly("session-dba");
		});
	}

	@Test
	void aDroppedTableFailsTheNextStartupNamingThePropertyTheTableAndTheFix() {
		String url = TestDatabase.H2.url();
		this.runner.withPropertyValues("spring.datasource.url=" + url)
			.run((context) -> jdbc(context).execute("DROP TABLE sessions"));
		this.runner.withPropertyValues("spring.datasource.url=" + url)
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("The session table sessions (session.jdbc.table-name) is missing")
				.hasStackTraceContaining("Drop the table sessions_schema_history"));
	}

	@Test
	void withInitializeSchemaNeverTheApplicationStartsWhileTheDatabaseIsDown() {
		this.runner
			.withPropertyValues("spring.datasource.url=" + UNREACHABLE, "session.jdbc.initialize-schema=never",
					"spring.datasource.hikari.connection-timeout=250")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThatExceptionOfType(SessionStoreException.class)
					.isThrownBy(() -> context.getBean(SessionStore.class).load("d".repeat(64)))
					.withMessageStartingWith("JDBC session store, table sessions: cannot load a session");
			});
	}

	@Test
	void withInitializeSchemaAlwaysStartupFailsNamingTheDatabaseWhileItIsDown() {
		this.runner
			.withPropertyValues("spring.datasource.url=" + UNREACHABLE,
					"spring.datasource.hikari.connection-timeout=250")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining(
						"Cannot create or migrate the session table sessions in the database at " + UNREACHABLE)
				.hasStackTraceContaining("session.jdbc.initialize-schema=never"));
	}

	@Test
	void withoutADataSourceStartupFailsNamingWhatToAdd() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class))
			.withPropertyValues("session.store=jdbc")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("session.store=jdbc keeps sessions in the application's DataSource,"
						+ " but it has none: add spring-boot-starter-jdbc and your database's JDBC driver")
				.hasStackTraceContaining("spring.datasource.url")
				.hasStackTraceContaining("com.h2database:h2 for an embedded database"));
	}

	@Test
	void withSeveralDataSourcesAndNoPrimaryStartupFailsNamingTheFix() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class))
			.withUserConfiguration(TwoDataSources.class)
			.withPropertyValues("session.store=jdbc")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("it has several and none is @Primary: mark one @Primary"));
	}

	@Test
	void aTableNameThatIsNotAPlainIdentifierFailsStartup() {
		onH2().withPropertyValues("session.jdbc.table-name=sessions; DROP TABLE users")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining(
						"session.jdbc.table-name 'sessions; DROP TABLE users' is not a plain SQL identifier"));
	}

	@Test
	void anApplicationsOwnStoreReplacesTheJdbcStore() {
		onH2().withUserConfiguration(OwnStore.class).run((context) -> {
			assertThat(context).getBean(SessionStore.class).isInstanceOf(MemorySessionStore.class);
			assertThat(tableCount(jdbc(context), "SESSIONS")).isZero();
		});
	}

	@Test
	void theSessionLocksAreTheDatabasesOnTheStoresTable() {
		onH2().run((context) -> assertThat(context).getBean(SessionLocks.class)
			.isInstanceOf(JdbcSessionLocks.class)
			.hasToString("Session locks of the " + context.getBean(SessionStore.class)));
	}

	@Test
	void anApplicationsOwnSessionLocksReplaceTheDatabases() {
		onH2().withUserConfiguration(OwnLocks.class)
			.run((context) -> assertThat(context).getBean(SessionLocks.class).isInstanceOf(LocalSessionLocks.class));
	}

	private static JdbcTemplate jdbc(ApplicationContext context) {
		return new JdbcTemplate(context.getBean(DataSource.class));
	}

	private static int tableCount(JdbcTemplate jdbc, String table) {
		return jdbc.queryForObject(
				"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'PUBLIC' AND table_name = ?",
				Integer.class, table);
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnStore {

		@Bean
		MemorySessionStore sessionStore() {
			return new MemorySessionStore();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnSchemaInitializer {

		@Bean
		CountingInitializer sessionSchemaInitializer(DataSource dataSource) {
			return new CountingInitializer(dataSource);
		}

	}

	/** An initializer of an application's own, which migrates nothing. */
	static class CountingInitializer extends JdbcSessionSchemaInitializer {

		int runs;

		CountingInitializer(DataSource dataSource) {
			super(new JdbcSessionSchema(dataSource, "sessions", null));
		}

		@Override
		public void afterPropertiesSet() {
			this.runs++;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InstalledByCustomizer {

		@Bean
		JdbcSessionFlywayCustomizer installedBy() {
			return (configuration) -> configuration.installedBy("session-dba");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoDataSources {

		@Bean
		DataSource one() {
			return new SimpleDriverDataSource();
		}

		@Bean
		DataSource two() {
			return new SimpleDriverDataSource();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnLocks {

		@Bean
		LocalSessionLocks sessionLocks() {
			return new LocalSessionLocks();
		}

	}

}
