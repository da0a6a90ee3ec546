package io.github.webpysession.store.jdbc;

import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Changes one setting of the Flyway that creates and migrates the session table, without
 * replacing the {@link JdbcSessionSchemaInitializer} bean: run the migration as the
 * database user that owns the schema
 * ({@code configuration.dataSource(url, user, password)}), retry connecting at startup
 * ({@code connectRetries}), and so on. Every such bean runs, in order, after the
 * starter's own settings; changing its table, locations or placeholders breaks its
 * migrations. The application's own Flyway (Boot's {@code FlywayConfigurationCustomizer})
 * is another one.
 */
@FunctionalInterface
public interface JdbcSessionFlywayCustomizer {

	void customize(FluentConfiguration configuration);

}
