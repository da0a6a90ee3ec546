package io.github.webpysession.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * Whether the session table can serve the store: it exists and has the columns the store
 * reads and writes. A dropped table whose migration Flyway's history still records is
 * never created again, and a table of web.py's shape lacks {@code version}: either way
 * every write would fail, so the starter checks at startup and the store at its first
 * use. So does a table of version 1, made before sessions by principal, by hand with
 * {@code session.jdbc.initialize-schema=never}.
 */
final class JdbcSessionTable {

	/** The columns of version 1 of the table, before sessions by principal. */
	private static final String VERSION_1_COLUMNS = "session_id, atime, data, version";

	static final String COLUMNS = VERSION_1_COLUMNS + ", principal_name, principal_hash";

	private JdbcSessionTable() {
	}

	/**
	 * Asks the database for the table's columns with a query that reads no row, so that
	 * the name resolves exactly as the store's statements resolve it (schema, search
	 * path, case).
	 * @return null if the table serves, else the database's reason why not
	 * @throws SQLException if the database failed otherwise, unreachable for one
	 */
	static @Nullable SQLException problem(Connection connection, String table) throws SQLException {
		return problem(connection, table, COLUMNS);
	}

	/**
	 * Fails, saying what to do, if the table does not serve: the check of a store's first
	 * use, when the starter may not have migrated the table.
	 * @throws SQLException naming the table, what it lacks and the fix, or the database's
	 * failure
	 */
	static void check(Connection connection, String table) throws SQLException {
		SQLException problem = problem(connection, table);
		if (problem != null) {
			String fix = (problem(connection, table, VERSION_1_COLUMNS) == null)
					? ". It is a table of version 1, without the columns that index sessions by principal:"
							+ " add them as the README's ALTER TABLE shows, or let the starter migrate it at startup"
					: ". Create it as the README's DDL shows, or let the starter create it at startup";
			throw new SQLException(describe(table, problem) + fix + " (session.jdbc.initialize-schema=always)",
					problem.getSQLState(), problem);
		}
	}

	private static @Nullable SQLException problem(Connection connection, String table, String columns)
			throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT " + columns + " FROM " + table + " WHERE 1 = 0");
				ResultSet result = statement.executeQuery()) {
			return null;
		}
		catch (SQLException ex) {
			if (isUnknownTableOrColumn(ex)) {
				return ex;
			}
			throw ex;
		}
	}

	/**
	 * Class 42 of the SQL standard's states: the statement names what the database does
	 * not have.
	 */
	private static boolean isUnknownTableOrColumn(SQLException ex) {
		String state = ex.getSQLState();
		return state != null && state.startsWith("42");
	}

	/** What is wrong with the table, in the words of the property that names it. */
	static String describe(String table, SQLException problem) {
		return "The session table " + table + " (session.jdbc.table-name) is missing or lacks one of the columns "
				+ COLUMNS + ": " + problem.getMessage();
	}

	/**
	 * The history table of the starter's migrations for {@code table}, as written in the
	 * table's schema.
	 */
	static String historyTable(String table) {
		return table + "_schema_history";
	}

}
