package io.github.webpysession.autoconfigure;

import javax.sql.DataSource;

import io.github.webpysession.store.SessionLocks;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.jdbc.JdbcSessionFlywayCustomizer;
import io.github.webpysession.store.jdbc.JdbcSessionLocks;
import io.github.webpysession.store.jdbc.JdbcSessionSchema;
import io.github.webpysession.store.jdbc.JdbcSessionSchemaInitializer;
import io.github.webpysession.store.jdbc.JdbcSessionStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * The {@code jdbc} store on the application's {@link DataSource}, its table created or
 * migrated first by a {@link JdbcSessionSchemaInitializer} unless
 * {@code session.jdbc.initialize-schema} is never. The initializer waits for the
 * application's own database initialization (its Flyway migrations, say), which may
 * expect an empty schema. Its session locks are the database's, so that
 * {@code session.lock} holds across instances.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(JdbcConnectionDetails.class)
@ConditionalOnMissingBean(SessionStore.class)
@ConditionalOnProperty(name = "session.store", havingValue = "jdbc")
class JdbcStoreConfiguration {

	/**
	 * What an application without a DataSource adds, for every message that says it lacks
	 * one.
	 */
	static final String HOW_TO_ADD_A_DATA_SOURCE = "add spring-boot-starter-jdbc and your database's JDBC driver"
			+ " (org.postgresql:postgresql, org.mariadb.jdbc:mariadb-java-client, com.mysql:mysql-connector-j)"
			+ " and set spring.datasource.url, or add com.h2database:h2 for an embedded database";

	private static final String FLYWAY = "org.flywaydb.core.Flyway";

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = "session.jdbc.initialize-schema", havingValue = "always", matchIfMissing = true)
	@DependsOnDatabaseInitialization
	JdbcSessionSchemaInitializer jdbcSessionSchemaInitializer(ObjectProvider<DataSource> dataSources,
			ObjectProvider<JdbcConnectionDetails> connectionDetails, SessionProperties properties,
			ObjectProvider<JdbcSessionFlywayCustomizer> customizers) {
		if (!ClassUtils.isPresent(FLYWAY, JdbcStoreConfiguration.class.getClassLoader())) {
			throw new IllegalStateException("session.jdbc.initialize-schema=always creates the session table"
					+ " with Flyway, which is missing: add org.flywaydb:flyway-core, or create the table"
					+ " yourself and set session.jdbc.initialize-schema=never");
		}
		JdbcConnectionDetails details = connectionDetails.getIfAvailable();
		return new JdbcSessionSchemaInitializer(
				new JdbcSessionSchema(dataSource(dataSources), properties.getJdbc().getTableName(),
						(details != null) ? details.getJdbcUrl() : null, customizers.orderedStream().toList()));
	}

	/** The store, once the initializer (when there is one) has made its table. */
	@Bean
	JdbcSessionStore sessionStore(ObjectProvider<DataSource> dataSources, SessionProperties properties,
			ObjectProvider<JdbcSessionSchemaInitializer> schemaInitializer) {
		// Getting the initializer creates it, so its migration runs before the store
		// exists.
		schemaInitializer.getIfAvailable();
		return new JdbcSessionStore(dataSource(dataSources), properties.getJdbc().getTableName());
	}

	/** Replaces the default in-JVM locks, unless the application has its own. */
	@Bean
	@ConditionalOnMissingBean(SessionLocks.class)
	JdbcSessionLocks sessionLocks(JdbcSessionStore sessionStore) {
		return new JdbcSessionLocks(sessionStore);
	}

	private static DataSource dataSource(ObjectProvider<DataSource> dataSources) {
		DataSource dataSource = dataSources.getIfUnique();
		if (dataSource != null) {
			return dataSource;
		}
		if (dataSources.stream().findAny().isPresent()) {
			throw new IllegalStateException("session.store=jdbc keeps sessions in the application's DataSource,"
					+ " but it has several and none is @Primary: mark one @Primary");
		}
		throw new IllegalStateException("session.store=jdbc keeps sessions in the application's DataSource,"
				+ " but it has none: " + HOW_TO_ADD_A_DATA_SOURCE);
	}

}
