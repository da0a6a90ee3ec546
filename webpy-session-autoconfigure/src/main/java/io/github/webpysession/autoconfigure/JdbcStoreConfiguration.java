package io.github.webpysession.autoconfigure;

import javax.sql.DataSource;

import io.github.webpysession.autoconfigure.SessionProperties.Jdbc.InitializeSchema;
import io.github.webpysession.store.SessionLocks;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.jdbc.JdbcSessionLocks;
import io.github.webpysession.store.jdbc.JdbcSessionSchema;
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
 * The {@code jdbc} store on the application's {@link DataSource}, its table created or migrated
 * first unless {@code session.jdbc.initialize-schema} is never. It waits for the application's
 * own database initialization (its Flyway migrations, say), which may expect an empty schema.
 * Its session locks are the database's, so that {@code session.lock} holds across instances.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ DataSource.class, JdbcConnectionDetails.class })
@ConditionalOnMissingBean(SessionStore.class)
@ConditionalOnProperty(name = "session.store", havingValue = "jdbc")
class JdbcStoreConfiguration {

	private static final String FLYWAY = "org.flywaydb.core.Flyway";

	@Bean
	@DependsOnDatabaseInitialization
	JdbcSessionStore sessionStore(ObjectProvider<DataSource> dataSources,
			ObjectProvider<JdbcConnectionDetails> connectionDetails, SessionProperties properties) {
		DataSource dataSource = dataSources.getIfUnique();
		if (dataSource == null) {
			throw new IllegalStateException("session.store=jdbc keeps sessions in the application's DataSource,"
					+ " but there is no single one: set spring.datasource.url, or mark one DataSource @Primary");
		}
		SessionProperties.Jdbc jdbc = properties.getJdbc();
		if (jdbc.getInitializeSchema() == InitializeSchema.ALWAYS) {
			if (!ClassUtils.isPresent(FLYWAY, JdbcStoreConfiguration.class.getClassLoader())) {
				throw new IllegalStateException("session.jdbc.initialize-schema=always creates the session table"
						+ " with Flyway, which is missing: add org.flywaydb:flyway-core, or create the table"
						+ " yourself and set session.jdbc.initialize-schema=never");
			}
			JdbcConnectionDetails details = connectionDetails.getIfAvailable();
			new JdbcSessionSchema(dataSource, jdbc.getTableName(), (details != null) ? details.getJdbcUrl() : null)
				.migrate();
		}
		return new JdbcSessionStore(dataSource, jdbc.getTableName());
	}

	/** Replaces the default in-JVM locks, unless the application has its own. */
	@Bean
	@ConditionalOnMissingBean(SessionLocks.class)
	JdbcSessionLocks sessionLocks(JdbcSessionStore sessionStore) {
		return new JdbcSessionLocks(sessionStore);
	}

}
