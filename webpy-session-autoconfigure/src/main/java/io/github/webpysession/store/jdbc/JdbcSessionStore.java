package io.github.webpysession.store.jdbc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * web.py's DBStore: one row per session in a table of the application's database, so that every
 * instance of an application sees the same sessions.
 * <ul>
 * <li>Every operation is one auto-committed statement on a connection borrowed from the
 * {@link DataSource} for that statement only: no transaction stays open, none is empty.</li>
 * <li>{@link #create} is one atomic insert that reports an existing id rather than overwriting it;
 * {@link #update} is a compare-and-set on the {@code version} column.</li>
 * <li>The data is kept Base64-encoded in a text column, and times as UTC timestamps, so that
 * neither the column's character set nor the server's time zone matter.</li>
 * <li>{@link #deleteAccessedBefore} removes expired rows in batches of {@value #CLEANUP_BATCH_SIZE},
 * each its own statement, so that even a million expired rows never lock the table for long; and
 * only one instance cleans a table at a time.</li>
 * </ul>
 * PostgreSQL, MariaDB, MySQL and H2 are told apart by the connection's metadata on first use, so
 * that an application whose database is down still starts (see {@link JdbcSessionSchema}).
 */
public final class JdbcSessionStore implements SessionStore {

	private static final Log logger = LogFactory.getLog(JdbcSessionStore.class);

	static final int CLEANUP_BATCH_SIZE = 1000;

	private static final Pattern TABLE_NAME = Pattern
		.compile("([A-Za-z_][A-Za-z0-9_]*\\.)?[A-Za-z_][A-Za-z0-9_]*");

	private final DataSource dataSource;

	private final String table;

	private final String loadSql;

	private final String updateSql;

	private final String touchSql;

	private final String deleteSql;

	/** The connections that hold sessions' locks, by session id. */
	private final ConcurrentMap<String, Connection> lockConnections = new ConcurrentHashMap<>();

	/** One cleanup at a time in this JVM; the database's lock does the same across instances. */
	private final ReentrantLock cleaning = new ReentrantLock();

	private volatile @Nullable Database database;

	/**
	 * A store on the table {@code tableName}, which must exist by the first use (see
	 * {@link JdbcSessionSchema}). Nothing is asked of the database here.
	 * @param tableName a plain SQL identifier, optionally prefixed by a schema and a dot
	 */
	public JdbcSessionStore(DataSource dataSource, String tableName) {
		this.dataSource = dataSource;
		this.table = checkTableName(tableName);
		this.loadSql = "SELECT data, atime, version FROM " + this.table + " WHERE session_id = ?";
		this.updateSql = "UPDATE " + this.table
				+ " SET data = ?, atime = ?, version = version + 1 WHERE session_id = ? AND version = ?";
		this.touchSql = "UPDATE " + this.table + " SET atime = ? WHERE session_id = ?";
		this.deleteSql = "DELETE FROM " + this.table + " WHERE session_id = ?";
	}

	/**
	 * Returns {@code tableName} if it is a plain SQL identifier, optionally schema-qualified: it is
	 * written into SQL statements, so nothing else is accepted.
	 * @throws IllegalArgumentException if it is not
	 */
	static String checkTableName(String tableName) {
		if (!TABLE_NAME.matcher(tableName).matches()) {
			throw new IllegalArgumentException("session.jdbc.table-name '" + tableName
					+ "' is not a plain SQL identifier: use letters, digits and underscores,"
					+ " optionally after a schema name and a dot");
		}
		return tableName;
	}

	/** The table the sessions are kept in, as configured. */
	public String getTableName() {
		return this.table;
	}

	@Override
	public @Nullable StoredSession load(String id) {
		return execute(id, "cannot load a session", (connection, dialect) -> {
			try (PreparedStatement statement = prepare(connection, this.loadSql, id);
					ResultSet result = statement.executeQuery()) {
				if (!result.next()) {
					return null;
				}
				return new StoredSession(id, decode(id, result.getString(1)),
						instant(result.getObject(2, LocalDateTime.class)), result.getLong(3));
			}
		});
	}

	@Override
	public boolean create(String id, byte[] data, Instant now) {
		return execute("cannot create a session", (connection, dialect) -> {
			try {
				return executeUpdate(connection, dialect.createSql(this.table), id, encode(data), utc(now)) == 1;
			}
			catch (SQLException ex) {
				if (isDuplicateKey(ex)) {
					return false;
				}
				throw ex;
			}
		});
	}

	@Override
	public boolean update(String id, byte[] data, Instant now, long expectedVersion) {
		return execute(id, "cannot update a session", (connection, dialect) -> executeUpdate(connection,
				this.updateSql, encode(data), utc(now), id, expectedVersion) == 1);
	}

	@Override
	public void touch(String id, Instant now) {
		execute(id, "cannot record a use of a session",
				(connection, dialect) -> executeUpdate(connection, this.touchSql, utc(now), id));
	}

	@Override
	public void delete(String id) {
		execute(id, "cannot delete a session", (connection, dialect) -> executeUpdate(connection, this.deleteSql, id));
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Returns 0 at once if another cleanup of this table is running, here or in another instance
	 * that shares the database: two instances deleting the same rows at once would only contend
	 * for their locks, and the next scheduled run removes whatever this one skipped.
	 */
	@Override
	public int deleteAccessedBefore(Instant cutoff) {
		if (!this.cleaning.tryLock()) {
			return 0;
		}
		try {
			return execute("cannot remove expired sessions", (connection, dialect) -> {
				Object lock = lock(connection, "cleanup", "");
				if (!dialect.tryLock(connection, lock)) {
					logger.debug("Another instance is cleaning " + this + "; skipping this cleanup");
					return 0;
				}
				try {
					return deleteInBatches(connection, dialect, utc(cutoff));
				}
				finally {
					dialect.unlock(connection, lock);
				}
			});
		}
		finally {
			this.cleaning.unlock();
		}
	}

	private int deleteInBatches(Connection connection, Dialect dialect, LocalDateTime cutoff) throws SQLException {
		int total = 0;
		int removed;
		do {
			removed = dialect.deleteBatch(connection, this.table, cutoff);
			total += removed;
		}
		while (removed > 0);
		return total;
	}

	/** The database lock that {@link JdbcSessionLocks} takes for session {@code id}. */
	Object sessionLock(Connection connection, String id) throws SQLException {
		return lock(connection, "lock", id);
	}

	/**
	 * A database lock of this table, keyed by a 64-bit hash of {@code purpose}, the table name
	 * and {@code subject}: the table name is qualified by the connection's schema (PostgreSQL) or
	 * database (MariaDB, whose locks are server-wide) when it is not qualified already, so that
	 * two applications' tables of the same name never share a lock, and neither do two purposes.
	 */
	private Object lock(Connection connection, String purpose, String subject) throws SQLException {
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
	 * Runs statements about session {@code id}: on the connection that holds its lock when this
	 * thread's request holds one (see {@link JdbcSessionLocks}), else on one of the pool. A
	 * request holding a lock thus never needs a second connection, and requests holding as many
	 * locks as the pool has connections cannot starve each other of the one they need to save.
	 */
	private <T extends @Nullable Object> T execute(String id, String what, Statements<T> statements) {
		Connection held = this.lockConnections.get(id);
		if (held == null) {
			return execute(what, statements);
		}
		try {
			return statements.run(held, database(held).dialect());
		}
		catch (SQLException ex) {
			throw failure(what, ex);
		}
	}

	/** Makes {@code connection}, which holds the lock of session {@code id}, run that session's statements. */
	void lockedOn(String id, Connection connection) {
		this.lockConnections.put(id, connection);
	}

	/** Undoes {@link #lockedOn}, before the connection goes back to the pool. */
	void unlocked(String id) {
		this.lockConnections.remove(id);
	}

	private <T extends @Nullable Object> T execute(String what, Statements<T> statements) {
		try (Connection connection = connection()) {
			return statements.run(connection, database(connection).dialect());
		}
		catch (SQLException ex) {
			throw failure(what, ex);
		}
	}

	/** A connection of the pool in auto-commit mode, so that no transaction outlives a statement. */
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
	Dialect dialect(String what) {
		Database database = this.database;
		return (database != null) ? database.dialect() : execute(what, (connection, dialect) -> dialect);
	}

	private Database database(Connection connection) throws SQLException {
		Database database = this.database;
		if (database == null) {
			DatabaseMetaData metaData = connection.getMetaData();
			Dialect dialect = Dialect.of(metaData);
			String table = (this.table.indexOf('.') < 0) ? dialect.namespace(connection) + "." + this.table
					: this.table;
			database = new Database(dialect, metaData.getDatabaseProductName(), table);
			this.database = database;
		}
		return database;
	}

	private static int executeUpdate(Connection connection, String sql, Object... parameters) throws SQLException {
		try (PreparedStatement statement = prepare(connection, sql, parameters)) {
			return statement.executeUpdate();
		}
	}

	private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
			throws SQLException {
		PreparedStatement statement = connection.prepareStatement(sql);
		try {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			return statement;
		}
		catch (SQLException ex) {
			statement.close();
			throw ex;
		}
	}

	private static boolean isDuplicateKey(SQLException ex) {
		return "23505".equals(ex.getSQLState()) || ex.getErrorCode() == 1062;
	}

	private static String encode(byte[] data) {
		return Base64.getEncoder().encodeToString(data);
	}

	private static byte[] decode(String id, @Nullable String text) {
		if (text == null) {
			return new byte[0];
		}
		try {
			return Base64.getDecoder().decode(text);
		}
		catch (IllegalArgumentException ex) {
			throw new UnreadableSessionException("data of session " + id.substring(0, Math.min(8, id.length()))
					+ "… is not Base64: " + ex.getMessage(), ex);
		}
	}

	private static LocalDateTime utc(Instant instant) {
		return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
	}

	private static Instant instant(LocalDateTime utc) {
		return utc.toInstant(ZoneOffset.UTC);
	}

	SessionStoreException failure(String what, SQLException cause) {
		return new SessionStoreException(this + ": " + what + ": " + cause, cause);
	}

	@Override
	public String toString() {
		Database database = this.database;
		return "JDBC session store, table " + this.table + ((database != null) ? " on " + database.product() : "");
	}

	/**
	 * What the first connection told of the database.
	 * @param product its own name for itself: MariaDB and MySQL share a dialect
	 * @param qualifiedTable the table name, qualified by the schema or database it resolves in
	 */
	private record Database(Dialect dialect, String product, String qualifiedTable) {

	}

	@FunctionalInterface
	private interface Statements<T extends @Nullable Object> {

		T run(Connection connection, Dialect dialect) throws SQLException;

	}

	/**
	 * What differs between databases: the atomic insert that reports an existing id, the
	 * bounded delete, and the locks: the one that lets one instance at a time clean the table,
	 * and those of {@link JdbcSessionLocks}. A lock is the database's own, held by a connection's
	 * session, so it works across instances without any shared file or extra service, and is
	 * released by the database itself if the instance dies while holding it.
	 */
	enum Dialect {

		/**
		 * {@code ON CONFLICT DO NOTHING} inserts or reports 0 rows atomically; the batch locks
		 * its rows with {@code SKIP LOCKED} so that it never waits for a request that is saving
		 * an expiring session; the lock is a session-level advisory lock.
		 */
		POSTGRESQL("postgresql", "SELECT pg_try_advisory_lock(?)", "SELECT pg_advisory_unlock(?)") {

			@Override
			String createSql(String table) {
				return "INSERT INTO " + table + " (session_id, data, atime, version) VALUES (?, ?, ?, 0)"
						+ " ON CONFLICT (session_id) DO NOTHING";
			}

			@Override
			int deleteBatch(Connection connection, String table, LocalDateTime cutoff) throws SQLException {
				return executeUpdate(connection, "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM "
						+ table + " WHERE atime < ? LIMIT ? FOR UPDATE SKIP LOCKED))", cutoff, CLEANUP_BATCH_SIZE);
			}

			@Override
			String namespace(Connection connection) throws SQLException {
				return String.valueOf(connection.getSchema());
			}

			@Override
			Object lock(String purpose, long hash) {
				return hash;
			}

		},

		/**
		 * A plain {@code INSERT} whose duplicate-key error (1062) means the id exists. Not
		 * {@code INSERT IGNORE}, which turns other errors, such as truncated data, into warnings
		 * too; and not {@code ON DUPLICATE KEY UPDATE}, whose row count cannot tell an insert from
		 * a no-op update while the driver reports found rows rather than changed ones, as
		 * MariaDB Connector/J and MySQL Connector/J do by default. The lock is {@code GET_LOCK},
		 * whose names are server-wide, hence a name qualified by the database.
		 */
		MYSQL("mysql", "SELECT GET_LOCK(?, 0)", "SELECT RELEASE_LOCK(?)") {

			@Override
			String createSql(String table) {
				return "INSERT INTO " + table + " (session_id, data, atime, version) VALUES (?, ?, ?, 0)";
			}

			/**
			 * Selects a batch of expired ids with a plain, lock-free read, then deletes those rows
			 * by primary key if they are still expired. A {@code DELETE … WHERE atime < ? LIMIT ?}
			 * would scan the {@code atime} index with next-key locks that reach past the cutoff
			 * into live rows, and deadlock with a request touching one of them.
			 */
			@Override
			int deleteBatch(Connection connection, String table, LocalDateTime cutoff) throws SQLException {
				List<Object> parameters = new ArrayList<>();
				try (PreparedStatement select = prepare(connection,
						"SELECT session_id FROM " + table + " WHERE atime < ? LIMIT ?", cutoff, CLEANUP_BATCH_SIZE);
						ResultSet ids = select.executeQuery()) {
					while (ids.next()) {
						parameters.add(ids.getString(1));
					}
				}
				if (parameters.isEmpty()) {
					return 0;
				}
				String placeholders = String.join(", ", Collections.nCopies(parameters.size(), "?"));
				parameters.add(cutoff);
				return executeUpdate(connection,
						"DELETE FROM " + table + " WHERE session_id IN (" + placeholders + ") AND atime < ?",
						parameters.toArray());
			}

			@Override
			String namespace(Connection connection) throws SQLException {
				return String.valueOf(connection.getCatalog());
			}

			@Override
			Object lock(String purpose, long hash) {
				return "webpy-session-" + purpose + "-" + Long.toHexString(hash);
			}

		},

		/**
		 * {@code MERGE … WHEN NOT MATCHED THEN INSERT} inserts or reports 0 rows; two racing
		 * merges of one id may still both try to insert, and the loser's duplicate-key error means
		 * the id exists, as everywhere. H2 runs embedded in one JVM, so the store's own lock is
		 * all the cleanup needs, and {@link JdbcSessionLocks} keeps its locks in the JVM too.
		 */
		H2("h2", null, null) {

			@Override
			String createSql(String table) {
				return "MERGE INTO " + table + " t USING (VALUES (CAST(? AS CHAR(128)), CAST(? AS TEXT),"
						+ " CAST(? AS TIMESTAMP(6)))) s (session_id, data, atime) ON t.session_id = s.session_id"
						+ " WHEN NOT MATCHED THEN INSERT (session_id, data, atime, version)"
						+ " VALUES (s.session_id, s.data, s.atime, 0)";
			}

			@Override
			int deleteBatch(Connection connection, String table, LocalDateTime cutoff) throws SQLException {
				return executeUpdate(connection,
						"DELETE FROM " + table + " WHERE atime < ? FETCH FIRST ? ROWS ONLY", cutoff, CLEANUP_BATCH_SIZE);
			}

			@Override
			String namespace(Connection connection) throws SQLException {
				return String.valueOf(connection.getSchema());
			}

			@Override
			Object lock(String purpose, long hash) {
				return hash;
			}

		};

		/** The folder of this database's Flyway migrations. */
		final String migrationFolder;

		/** Takes a lock without waiting, answering whether it did; null where the JVM's own lock is enough. */
		private final @Nullable String tryLockSql;

		/** Releases a lock, answering whether it was held. */
		private final @Nullable String unlockSql;

		Dialect(String migrationFolder, @Nullable String tryLockSql, @Nullable String unlockSql) {
			this.migrationFolder = migrationFolder;
			this.tryLockSql = tryLockSql;
			this.unlockSql = unlockSql;
		}

		abstract String createSql(String table);

		/**
		 * Deletes at most {@value JdbcSessionStore#CLEANUP_BATCH_SIZE} rows last accessed before {@code cutoff},
		 * in statements of their own, committed as they run.
		 * @return how many were deleted; 0 when none is left to delete
		 */
		abstract int deleteBatch(Connection connection, String table, LocalDateTime cutoff) throws SQLException;

		/** The schema or database that an unqualified table name resolves in. */
		abstract String namespace(Connection connection) throws SQLException;

		/** The lock that {@link #tryLock} takes, named by {@code purpose} and a hash unique to it. */
		abstract Object lock(String purpose, long hash);

		/** Takes the lock for this connection's session without waiting; false if it is taken. */
		boolean tryLock(Connection connection, Object lock) throws SQLException {
			return (this.tryLockSql == null) || queryBoolean(connection, this.tryLockSql, lock);
		}

		/** Releases the lock; false if this connection's session did not hold it. */
		boolean unlock(Connection connection, Object lock) throws SQLException {
			return (this.unlockSql == null) || queryBoolean(connection, this.unlockSql, lock);
		}

		private static boolean queryBoolean(Connection connection, String sql, Object parameter)
				throws SQLException {
			try (PreparedStatement statement = prepare(connection, sql, parameter);
					ResultSet result = statement.executeQuery()) {
				return result.next() && result.getBoolean(1);
			}
		}

		/**
		 * The dialect of the database behind {@code metaData}.
		 * @throws SQLException if it is none of the supported databases
		 */
		static Dialect of(DatabaseMetaData metaData) throws SQLException {
			String product = metaData.getDatabaseProductName();
			return switch (product) {
				case "PostgreSQL" -> POSTGRESQL;
				case "MySQL", "MariaDB" -> MYSQL;
				case "H2" -> H2;
				default -> throw new SQLException("Unsupported database '" + product
						+ "': the JDBC session store runs on PostgreSQL, MariaDB, MySQL or H2");
			};
		}

	}

}
