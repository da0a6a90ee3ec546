package io.github.webpysession.store.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import io.github.webpysession.store.jdbc.JdbcSessionStore.Dialect;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jspecify.annotations.Nullable;

/**
 * Creates and migrates the table of a {@link JdbcSessionStore} with the starter's own Flyway
 * migrations, which live apart from the application's: their history is the table
 * {@code <table>_schema_history}, and a schema that holds other tables already (the
 * application's) is baselined at version 0 first, so that the application's
 * {@code flyway_schema_history} is never read or written.
 * <p>
 * The database has to answer when this runs. With {@code session.jdbc.initialize-schema=always},
 * an application whose database is down at startup fails to start, with an error naming the
 * database, rather than start without knowing whether its table exists. With {@code never},
 * nothing asks the database at startup: the application starts, and requests that need their
 * session answer 503 until the database is back.
 */
public final class JdbcSessionSchema {

	private static final String MIGRATIONS = "classpath:io/github/webpysession/store/jdbc/migration/";

	private final DataSource dataSource;

	private final String table;

	private final @Nullable String url;

	/**
	 * @param tableName the table, as {@link JdbcSessionStore} takes it
	 * @param url the database's JDBC URL for error messages, when known
	 */
	public JdbcSessionSchema(DataSource dataSource, String tableName, @Nullable String url) {
		this.dataSource = dataSource;
		this.table = JdbcSessionStore.checkTableName(tableName);
		this.url = url;
	}

	/**
	 * Creates the table, or brings it up to date; does nothing once it is.
	 * @throws IllegalStateException if the database is unreachable or refuses a migration
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
			.placeholders(Map.of("table", this.table, "atime_index", name + "_atime"))
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.baselineDescription("before the session table");
		if (dot > 0) {
			configuration.schemas(database.fold(this.table.substring(0, dot)));
		}
		try {
			configuration.load().migrate();
		}
		catch (FlywayException ex) {
			throw failure(ex);
		}
	}

	private Database database() {
		try (Connection connection = this.dataSource.getConnection()) {
			DatabaseMetaData metaData = connection.getMetaData();
			return new Database(Dialect.of(metaData), metaData.storesUpperCaseIdentifiers(),
					metaData.storesLowerCaseIdentifiers());
		}
		catch (SQLException ex) {
			throw failure(ex);
		}
	}

	/**
	 * What the migration needs to know of the database. Flyway quotes the names it is given, so
	 * they are folded as the database folds unquoted names, the way the migrations write them.
	 */
	private record Database(Dialect dialect, boolean upperCase, boolean lowerCase) {

		String fold(String identifier) {
			if (this.upperCase) {
				return identifier.toUpperCase(Locale.ROOT);
			}
			return this.lowerCase ? identifier.toLowerCase(Locale.ROOT) : identifier;
		}

	}

	private IllegalStateException failure(Exception cause) {
		String database = (this.url != null) ? "the database at " + this.url : "the application's database";
		return new IllegalStateException("Cannot create or migrate the session table " + this.table + " in "
				+ database + " (session.jdbc.initialize-schema=always): " + cause.getMessage()
				+ ". Make the database reachable, or create the table yourself and set"
				+ " session.jdbc.initialize-schema=never", cause);
	}

}
