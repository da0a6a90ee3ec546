package io.github.webpysession.store.jdbc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import javax.sql.DataSource;

import io.github.webpysession.store.SessionStoreException;
import org.jspecify.annotations.Nullable;

/**
 * Where the statements of a {@link JdbcSessionStore} run, and what the database is.
 * <p>
 * A statement about a session whose lock a request of this JVM holds (see
 * {@link JdbcSessionLocks}) runs on the connection that holds the lock; any other runs on
 * a connection borrowed from the pool for that statement only, in auto-commit mode. A
 * request holding a lock thus never needs a second connection, and requests holding as
 * many locks as the pool has connections cannot starve each other of the one they need to
 * save.
 * <p>
 * The database's dialect, and the schema or database the table resolves in, are asked of
 * the first connection, so that nothing asks the database before the store is first used.
 */
final class JdbcConnections {

	private final DataSource dataSource;

	private final String table;

	/** The connections that hold sessions' locks, by session id. */
	private final ConcurrentMap<String, Connection> lockConnections = new ConcurrentHashMap<>();

	private volatile @Nullable Database database;

	/** Whether the table was found to serve, once; see {@link JdbcSessionTable}. */
	private volatile boolean tableChecked;

	JdbcConnections(DataSource dataSource, String table) {
		this.dataSource = dataSource;
		this.table = table;
	}

	/**
	 * Runs statements about session {@code id} on the table: on the connection that holds
	 * its lock when a request of this JVM holds it, else on one of the pool.
	 * @param what what the statements do, for the exception if they fail
	 */
	<T extends @Nullable Object> T execute(String id, String what, Work<T> work) {
		Connection held = this.lockConnections.get(id);
		if (held == null) {
			return execute(what, work);
		}
		try {
			return onTable(held, work);
		}
		catch (SQLException ex) {
			throw failure(what, ex);
		}
	}

	/**
	 * Runs statements on the table, on a connection of the pool returned once they are
	 * done.
	 */
	<T extends @Nullable Object> T execute(String what, Work<T> work) {
		try (Connection connection = connection()) {
			return onTable(connection, work);
		}
		catch (SQLException ex) {
			throw failure(what, ex);
		}
	}

	/**
	 * Runs {@code work}, preceded until it first succeeds by a check that the table
	 * serves, so that a missing table or column fails with what to do rather than with
	 * the database's bare error.
	 */
	private <T extends @Nullable Object> T onTable(Connection connection, Work<T> work) throws SQLException {
		if (!this.tableChecked) {
			JdbcSessionTable.check(connection, this.table);
			this.tableChecked = true;
		}
		return work.run(connection, database(connection).dialect());
	}

	/**
	 * Makes {@code connection}, which holds the lock of session {@code id}, run that
	 * session's statements.
	 */
	void lockedOn(String id, Connection connection) {
		this.lockConnections.put(id, connection);
	}

	/** Whether a request of this JVM holds the lock of session {@code id}. */
	boolean isLockedHere(String id) {
		return this.lockConnections.containsKey(id);
	}

	/** Undoes {@link #lockedOn}, before the connection goes back to the pool. */
	void unlocked(String id) {
		this.lockConnections.remove(id);
	}

	/**
	 * A connection of the pool in auto-commit mode, so that no transaction outlives a
	 * statement.
	 */
	Connection connection() throws SQLException {
		Connection connection = this.dataSource.getConnection();
		try {
			if (!connection.getAutoCommit()) {
				connection.setAutoCommit(true);
			}
			return connection;
		}
		catch (SQLException ex) {
			connection.close();
			throw ex;
		}
	}

	/**
	 * The dialect of the database, asked of a connection on first use.
	 * @param what what needs it, for the exception if the database cannot be reached
	 */
	JdbcDialect dialect(String what) {
		Database database = this.database;
		if (database != null) {
			return database.dialect();
		}
		try (Connection connection = connection()) {
			return database(connection).dialect();
		}
		catch (SQLException ex) {
			throw failure(what, ex);
		}
	}

	/** The dialect of the database if a connection told it already; else null. */
	@Nullable JdbcDialect knownDialect() {
		Database database = this.database;
		return (database != null) ? database.dialect() : null;
	}

	/**
	 * A database lock of the table, keyed by a 64-bit hash of {@code purpose}, the table
	 * name and {@code subject}: the table name is qualified by the connection's schema
	 * (PostgreSQL) or database (MariaDB, whose locks are server-wide) when it is not
	 * qualified already, so that two applications' tables of the same name never share a
	 * lock, and neither do two purposes.
	 */
	Object lock(Connection connection, String purpose, String subject) throws SQLException {
		Database database = database(connection);
		String name = "webpy-session " + purpose + " " + database.qualifiedTable().toLowerCase(Locale.ROOT) + " "
				+ subject;
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
			return database.dialect().lock(purpose, ByteBuffer.wrap(digest).getLong());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	/**
	 * The exception for statements that failed, naming the store, what they did and the
	 * cause.
	 */
	SessionStoreException failure(String what, SQLException cause) {
		return new SessionStoreException(this + ": " + what + ": " + cause, cause);
	}

	private Database database(Connection connection) throws SQLException {
		Database database = this.database;
		if (database == null) {
			DatabaseMetaData metaData = connection.getMetaData();
			JdbcDialect dialect = JdbcDialect.of(metaData);
			String table = (this.table.indexOf('.') < 0) ? dialect.namespace(connection) + "." + this.table
					: this.table;
			database = new Database(dialect, metaData.getDatabaseProductName(), table);
			this.database = database;
		}
		return database;
	}

	/** How the store names itself in messages: its table, and its database once known. */
	@Override
	public String toString() {
		Database database = this.database;
		return "JDBC session store, table " + this.table + ((database != null) ? " on " + database.product() : "");
	}

	/** Statements run on one connection. */
	@FunctionalInterface
	interface Work<T extends @Nullable Object> {

		T run(Connection connection, JdbcDialect dialect) throws SQLException;

	}

	/**
	 * What the first connection told of the database.
	 *
	 * @param product its own name for itself: MariaDB and MySQL share a dialect
	 * @param qualifiedTable the table name, qualified by the schema or database it
	 * resolves in
	 */
	private record Database(JdbcDialect dialect, String product, String qualifiedTable) {

	}

}
