package io.github.webpysession.store.jdbc;

import org.springframework.beans.factory.InitializingBean;

/**
 * Creates or migrates the session table when the application context starts, before the
 * store serves: for the starter's migrations what Boot's
 * {@code FlywayMigrationInitializer} is for the application's. A bean of the
 * application's own of this type replaces it, to migrate otherwise;
 * {@code session.jdbc.initialize-schema=never} removes it.
 */
public class JdbcSessionSchemaInitializer implements InitializingBean {

	private final JdbcSessionSchema schema;

	public JdbcSessionSchemaInitializer(JdbcSessionSchema schema) {
		this.schema = schema;
	}

	/**
	 * Migrates, then checks that the table serves.
	 * @throws IllegalStateException if the database is unreachable, refuses a migration,
	 * or the table is missing or lacks a column once migrated
	 */
	@Override
	public void afterPropertiesSet() {
		this.schema.migrate();
	}

	/** The schema this initializer migrates. */
	public JdbcSessionSchema getSchema() {
		return this.schema;
	}

}
