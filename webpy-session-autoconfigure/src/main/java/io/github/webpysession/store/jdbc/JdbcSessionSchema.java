package io.github.webpysession.store.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jspecify.annotations.Nullable;

/**
 * Creates and migrates the table of a {@link JdbcSessionStore} with the starter's own
 * Flyway migrations, which live apart from the application's: their history is the table
 * {@code
 *
<table>
 * _schema_history}, and a schema that holds other tables already (the application's) is
 * baselined at version 0 first, so that the application's {@code flyway_schema_history}
 * is never read or written. A table made by hand with the README's DDL, of either
 * version, is taken over as it is, and one of version 1 upgraded in place. Once migrated,
 * the table is checked: a table dropped by hand is never created again while the history
 * records its migration, and one of another shape is not recreated (it only gains the
 * nullable columns of version 2).
 * <p>
 * The database has to answer when this runs. With
 * {@code session.jdbc.initialize-schema=always}, an application whose database is down at
 * startup fails to start, with an error naming the database, rather than start without
 * knowing whether its table exists. With {@code never}, nothing asks the database at
 * startup: the application starts, and requests that need their session answer 503 until
 * the database is back.
 */
public final class JdbcSessionSchema {

	private static final String MIGRATIONS = "classpath:io/github/webpysession/store/jdbc/migration/";

	private final DataSource dataSource;

	private final String table;

	private final @Nullable String url;

	private final List<JdbcSessionFlywayCustomizer> customizers;

	/**
	 * @param tableName the table, as {@link JdbcSessionStore} takes it
	 * @param url the database's JDBC URL for error messages, when known
	 */
	public JdbcSessionSchema(DataSource dataSource, String tableName, @Nullable String url) {
		this(dataSource, tableName, url, List.of());
	}

	/**
	 * @param tableName the table, as {@link JdbcSessionStore} takes it
	 * @param url the database's JDBC URL for error messages, when known
	 * @param customizers applied in order to the Flyway configuration, after the
	 * starter's settings
	 */
	public JdbcSessionSchema(DataSource dataSource, String tableName, @Nullable String url,
			List<JdbcSessionFlywayCustomizer> customizers) {
		this.dataSource = dataSource;
		this.table = JdbcSessionStore.checkTableName(tableName);
		this.url = url;
		this.customizers = List.copyOf(customizers);
	}

	/**
	 * Creates the table, or brings it up to date; does nothing once it is. Then checks
	 * that the table has the columns the store needs.
	 * @throws IllegalStateException if the database is unreachable or refuses a
	 * migration, or if the table is missing or lacks a column once migrated
	 */
	public void migrate() {
		Database database = database();
		int dot = this.table.indexOf('.');
		String name = this.table.substring(dot + 1);
		FluentConfiguration configuration = Flyway.configure(JdbcSessionSchema.class.getClassLoader())
			.dataSource(this.dataSource)
			.locations(MIGRATIONS + database.dialect().migrationFolder)
			.failOnMissingLocations(true)
			.table(database.fold(name + "_schema_history"))
			.placeholders(
					Map.of("table", this.table, "atime_index", name + "_atime", "principal_index", name + "_principal"))
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.baselineDescription("before the session table");
		if (dot > 0) {
			configuration.schemas(database.fold(this.table.substring(0, dot)));
		}
		this.customizers.forEach((customizer) -> customizer.customize(configuration));
		try {
			configuration.load().migrate();
		}
		catch (FlywayException ex) {
			throw failure(ex);
		}
		checkTable();
	}

	/**
	 * Fails if the table does not serve although the history says it is migrated: dropped
	 * by hand after its creation, or of another shape before it (web.py's table has no
	 * {@code version}).
	 */
	private void checkTable() {
		try (Connection connection = this.dataSource.getConnection()) {
			SQLException problem = JdbcSessionTable.problem(connection, this.table);
			if (problem != null) {
				String history = JdbcSessionTable.historyTable(this.table);
				throw new IllegalStateException(JdbcSessionTable.describe(this.table, problem) + ", though " + history
						+ " records its migration. Drop the table " + history + " (and the table " + this.table
						+ " if it is there in another shape) to let the starter create it at the next startup,"
						+ " or create it by hand as the README's DDL shows and set"
						+ " session.jdbc.initialize-schema=never", problem);
			}
		}
		catch (SQLException ex) {
			throw failure(ex);
		}
	}

	private Database database() {
		try (Connection connection = this.dataSource.getConnection()) {
			DatabaseMetaData metaData = connection.getMetaData();
			return new Database(JdbcDialect.of(metaData), metaData.storesUpperCaseIdentifiers(),
					metaData.storesLowerCaseIdentifiers());
		}
		catch (SQLException ex) {
			throw failure(ex);
		}
	}

	/**
	 * What the migration needs to know of the database. Flyway quotes the names it is
	 * given, so they are folded as the database folds unquoted names, the way the
	 * migrations write them.
	 */
	private record Database(JdbcDialect dialect, boolean upperCase, boolean lowerCase) {

		String fold(String identifier) {
			if (this.upperCase) {
				return identifier.toUpperCase(Locale.ROOT);
			}
			return this.lowerCase ? identifier.toLowerCase(Locale.ROOT) : identifier;
		}

	}

	private IllegalStateException failure(Exception cause) {
		String database = (this.url != null) ? "the database at " + this.url : "the application's database";
		return new IllegalStateException("Cannot create or migrate the session table " + this.table + " in " + database
				+ " (session.jdbc.initialize-schema=always): " + cause.getMessage()
				+ ". Make the database reachable, or create the table yourself and set"
				+ " session.jdbc.initialize-schema=never", cause);
	}

}
