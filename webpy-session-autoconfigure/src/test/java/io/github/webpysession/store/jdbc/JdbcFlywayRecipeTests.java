package io.github.webpysession.store.jdbc;

import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import io.github.webpysession.autoconfigure.SessionAutoConfiguration;
import io.github.webpysession.store.SessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's recipe for an application that adds Flyway of its own once the starter has
 * made its session table: the application's Flyway then finds a schema that is not empty
 * and has no history of its own. Baselining at version 0 keeps the application's own
 * {@code V1}.
 */
class JdbcFlywayRecipeTests {

	private static final String BASELINE_ON_MIGRATE = "spring.flyway.baseline-on-migrate=true";

	private static final String BASELINE_VERSION_0 = "spring.flyway.baseline-version=0";

	/**
	 * The application's own {@code V1__app.sql}, as {@code db/migration} would hold it.
	 */
	private static final String APPLICATION_MIGRATIONS = "spring.flyway.locations="
			+ "classpath:io/github/webpysession/store/jdbc/app-migration";

	private Schema schema;

	@AfterEach
	void dropSchema() {
		if (this.schema != null) {
			this.schema.close();
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "H2", "POSTGRESQL" })
	void withBaselineVersion0TheApplicationsV1RunsBesideTheSessionTable(TestDatabase database) {
		startWithoutFlyway(database);

		withApplicationFlyway(BASELINE_ON_MIGRATE, BASELINE_VERSION_0).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(this.schema.count("app_things")).isZero();
			assertThat(this.schema.history()).containsExactly("0 << Flyway Baseline >>", "1 V1__app.sql");
			SessionStore store = context.getBean(SessionStore.class);
			assertThat(store.create("a".repeat(64), new byte[] { 1 }, JdbcCleanupTests.NOW)).isTrue();
		});
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "H2", "POSTGRESQL" })
	void withTheRecipeLeftInPlaceLaterStartupsMigrateNothingMore(TestDatabase database) {
		startWithoutFlyway(database);
		withApplicationFlyway(BASELINE_ON_MIGRATE, BASELINE_VERSION_0)
			.run((context) -> assertThat(context).hasNotFailed());

		withApplicationFlyway(BASELINE_ON_MIGRATE, BASELINE_VERSION_0).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(this.schema.history()).containsExactly("0 << Flyway Baseline >>", "1 V1__app.sql");
		});
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "H2", "POSTGRESQL" })
	void baselineOnMigrateAloneSkipsTheApplicationsV1(TestDatabase database) {
		startWithoutFlyway(database);

		withApplicationFlyway(BASELINE_ON_MIGRATE).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(this.schema.history()).containsExactly("1 << Flyway Baseline >>");
			assertThat(this.schema.hasTable("app_things")).isFalse();
		});
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "H2", "POSTGRESQL" })
	void withoutTheRecipeTheApplicationsFlywayRefusesTheSchema(TestDatabase database) {
		startWithoutFlyway(database);

		withApplicationFlyway().run((context) -> assertThat(context).getFailure()
			.hasStackTraceContaining("non-empty schema")
			.hasStackTraceContaining("baselineOnMigrate"));
	}

	/**
	 * The application's first life: the starter's table, and no Flyway of the
	 * application's own.
	 */
	private void startWithoutFlyway(TestDatabase database) {
		this.schema = Schema.create(database);
		runner().withPropertyValues("spring.flyway.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(this.schema.hasTable("sessions")).isTrue();
		});
	}

	/** The application once it has added Flyway and its {@code V1__app.sql}. */
	private WebApplicationContextRunner withApplicationFlyway(String... properties) {
		return runner().withPropertyValues(APPLICATION_MIGRATIONS).withPropertyValues(properties);
	}

	private WebApplicationContextRunner runner() {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
					SessionAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + this.schema.url,
					"spring.datasource.username=" + this.schema.database.user(), "session.store=jdbc");
	}

	/**
	 * A schema of the test's own: a new in-memory H2 database, or a new PostgreSQL
	 * schema.
	 */
	private record Schema(TestDatabase database, String url, String name,
			HikariDataSource admin) implements AutoCloseable {

		static Schema create(TestDatabase database) {
			database.require();
			if (database == TestDatabase.H2) {
				String url = database.url();
				return new Schema(database, url, "PUBLIC", database.dataSource(url));
			}
			String name = "webpy_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
			HikariDataSource admin = database.dataSource();
			new JdbcTemplate(admin).execute("CREATE SCHEMA " + name);
			return new Schema(database, database.url() + "?currentSchema=" + name, name, admin);
		}

		boolean hasTable(String table) {
			return new JdbcTemplate(this.admin)
				.queryForObject("SELECT COUNT(*) FROM information_schema.tables WHERE LOWER(table_schema) = LOWER(?)"
						+ " AND LOWER(table_name) = ?", Integer.class, this.name, table) == 1;
		}

		int count(String table) {
			return new JdbcTemplate(this.admin).queryForObject("SELECT COUNT(*) FROM " + this.name + "." + table,
					Integer.class);
		}

		/**
		 * The application's Flyway history: version and script of each successful
		 * versioned row, in order.
		 */
		List<String> history() {
			return new JdbcTemplate(this.admin).queryForList("SELECT \"version\" || ' ' || \"script\" FROM " + this.name
					+ ".\"flyway_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL"
					+ " ORDER BY \"installed_rank\"", String.class);
		}

		@Override
		public void close() {
			try {
				new JdbcTemplate(this.admin).execute((this.database == TestDatabase.H2) ? "DROP ALL OBJECTS"
						: "DROP SCHEMA " + this.name + " CASCADE");
			}
			finally {
				this.admin.close();
			}
		}

	}

}
