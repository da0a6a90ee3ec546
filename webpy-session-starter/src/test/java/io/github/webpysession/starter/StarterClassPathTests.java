package io.github.webpysession.starter;

import java.nio.file.Path;
import java.time.Instant;

import javax.sql.DataSource;

import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.disk.DiskSessionStore;
import io.github.webpysession.store.shelf.ShelfSessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * What an application gets from the starter alone, whatever its store: these tests run on
 * the starter's own resolved class path (plus JUnit, AssertJ and spring-boot-test, which
 * hold no database), with every auto-configuration on it, as a Quick start application
 * would.
 */
class StarterClassPathTests {

	@TempDir
	Path directory;

	@Test
	void theStarterBringsNoConnectionPoolNoDatabaseAndNoDataSourceAutoConfiguration() {
		assertThat(isPresent("com.zaxxer.hikari.HikariDataSource")).as("HikariCP").isFalse();
		assertThat(isPresent("org.h2.Driver")).as("the H2 database").isFalse();
		assertThat(isPresent("org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"))
			.as("Boot's DataSource auto-configuration")
			.isFalse();
		assertThat(isPresent("org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"))
			.as("Boot's Flyway auto-configuration")
			.isFalse();
	}

	@Test
	void theStarterBringsWhatTheJdbcAndShelfStoresNeedBesidesADataSource() {
		assertThat(isPresent("org.flywaydb.core.Flyway")).isTrue();
		assertThat(isPresent("org.flywaydb.database.postgresql.PostgreSQLDatabaseType")).isTrue();
		assertThat(isPresent("org.flywaydb.database.mysql.mariadb.MariaDBDatabaseType")).isTrue();
		assertThat(isPresent("org.h2.mvstore.MVStore")).isTrue();
	}

	@Test
	void aDiskStoreApplicationHasNoDataSourceBean() {
		try (ConfigurableApplicationContext context = start("--session.disk.directory=" + this.directory)) {
			assertThat(context.getBean(SessionStore.class)).isInstanceOf(DiskSessionStore.class);
			assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
		}
	}

	@Test
	void theShelfStoreNeedsNothingButTheStarterEvenToSurviveAnInterruptedWrite() {
		try (ConfigurableApplicationContext context = start("--session.store=shelf",
				"--session.shelf.file=" + this.directory.resolve("session.shelf"))) {
			SessionStore store = context.getBean(SessionStore.class);
			assertThat(store).isInstanceOf(ShelfSessionStore.class);
			Thread.currentThread().interrupt();
			try {
				assertThat(store.create("a".repeat(64), new byte[] { 1 }, Instant.EPOCH)).isTrue();
			}
			finally {
				Thread.interrupted();
			}
			assertThat(store.create("b".repeat(64), new byte[] { 2 }, Instant.EPOCH)).isTrue();
			assertThat(store.load("a".repeat(64)).data()).containsExactly(1);
		}
	}

	@Test
	void theJdbcStoreWithoutADataSourceStopsStartupSayingWhatToAdd() {
		assertThatException()
			.isThrownBy(() -> start("--session.store=jdbc",
					"--logging.level.org.springframework.boot.SpringApplication=off")
				.close())
			.withStackTraceContaining(
					"No session store for session.store=jdbc: it keeps sessions in the" + " application's DataSource")
			.withStackTraceContaining("add spring-boot-starter-jdbc and your database's JDBC driver")
			.withStackTraceContaining("set spring.datasource.url");
	}

	private static ConfigurableApplicationContext start(String... args) {
		return new SpringApplicationBuilder(QuickStartApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off")
			.run(args);
	}

	private static boolean isPresent(String className) {
		return ClassUtils.isPresent(className, StarterClassPathTests.class.getClassLoader());
	}

	/** The Quick start's application: the starter and nothing else. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class QuickStartApplication {

	}

}
