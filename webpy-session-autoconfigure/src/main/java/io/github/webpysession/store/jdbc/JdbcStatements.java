package io.github.webpysession.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Prepared statements with positional parameters, closed on every path: what the store
 * and its dialects share.
 */
final class JdbcStatements {

	private JdbcStatements() {
	}

	static int executeUpdate(Connection connection, String sql, Object... parameters) throws SQLException {
		try (PreparedStatement statement = prepare(connection, sql, parameters)) {
			return statement.executeUpdate();
		}
	}

	/**
	 * Whether the query's first column of its first row is true; false if it has no row.
	 */
	static boolean queryBoolean(Connection connection, String sql, Object... parameters) throws SQLException {
		try (PreparedStatement statement = prepare(connection, sql, parameters);
				ResultSet result = statement.executeQuery()) {
			return result.next() && result.getBoolean(1);
		}
	}

	static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
		PreparedStatement statement = connection.prepareStatement(sql);
		try {
			set(statement, parameters);
			return statement;
		}
		catch (SQLException ex) {
			statement.close();
			throw ex;
		}
	}

	/** Sets the statement's parameters, the first to {@code parameters[0]}. */
	static void set(PreparedStatement statement, Object... parameters) throws SQLException {
		for (int i = 0; i < parameters.length; i++) {
			statement.setObject(i + 1, parameters[i]);
		}
	}

}
