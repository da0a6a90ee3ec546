package io.github.webpysession.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.CleanupBatches;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.store.jdbc.JdbcUpdates.Update;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import static io.github.webpysession.store.jdbc.JdbcColumns.decode;
import static io.github.webpysession.store.jdbc.JdbcColumns.encode;
import static io.github.webpysession.store.jdbc.JdbcColumns.encodeName;
import static io.github.webpysession.store.jdbc.JdbcColumns.hash;
import static io.github.webpysession.store.jdbc.JdbcColumns.principalName;
import static io.github.webpysession.store.jdbc.JdbcColumns.utc;
import static io.github.webpysession.store.jdbc.JdbcStatements.executeUpdate;
import static io.github.webpysession.store.jdbc.JdbcStatements.prepare;

/**
 * web.py's DBStore: one row per session in a table of the application's database, so that
 * every instance of an application sees the same sessions.
 * <ul>
 * <li>Every operation is one auto-committed statement on a connection borrowed from the
 * {@link DataSource} for that statement only: no transaction stays open, none is empty.
 * Loads and updates that requests ask for while another of their kind runs are run
 * together ({@link JdbcBatches}): the loads in one select ({@link JdbcLoads}), the updates
 * in one batch in one transaction ({@link JdbcUpdates}).</li>
 * <li>{@link #create} is one atomic insert that reports an existing id rather than
 * overwriting it; {@link #update} is a compare-and-set on the {@code version}
 * column.</li>
 * <li>The data is kept Base64-encoded in a text column, and times as UTC timestamps, so
 * that neither the column's character set nor the server's time zone matter.</li>
 * <li>The principal name a session is indexed under is kept Base64-encoded from UTF-8
 * too, beside its SHA-256, the key of an index, so that any name of any length is found
 * under itself alone, whatever the collation; the statement that writes the data writes
 * both, so that the index cannot drift from the data.</li>
 * <li>{@link #deleteAccessedBefore} removes expired rows in batches
 * ({@link CleanupBatches}, 1000 rows unless told otherwise), each its own short
 * auto-committed statements, so that even a million expired rows never lock the table or
 * rows of live sessions for long; and only one instance cleans a table at a time.</li>
 * </ul>
 * PostgreSQL, MariaDB, MySQL and H2 are told apart by the connection's metadata on first
 * use, so that an application whose database is down still starts (see
 * {@link JdbcSessionSchema}).
 */
public final class JdbcSessionStore implements SessionStore {

	private static final Log logger = LogFactory.getLog(JdbcSessionStore.class);

	private static final Pattern TABLE_NAME = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*\\.)?[A-Za-z_][A-Za-z0-9_]*");

	private final JdbcConnections connections;

	private final String table;

	/** The select of sessions by principal, whose {@code atime} each dialect reads its own way. */
	private final EnumMap<JdbcDialect, String> findByPrincipalSql = new EnumMap<>(JdbcDialect.class);

	private final JdbcLoads loads;

	private final JdbcUpdates updates;

	private final String touchSql;

	private final String deleteSql;

	private final CleanupBatches batches;

	/**
	 * One cleanup at a time in this JVM; the database's lock does the same across
	 * instances.
	 */
	private final ReentrantLock cleaning = new ReentrantLock();

	/**
	 * A store on the table {@code tableName}, which must exist by the first use (see
	 * {@link JdbcSessionSchema}). Nothing is asked of the database here.
	 * @param tableName a plain SQL identifier, optionally prefixed by a schema and a dot
	 */
	public JdbcSessionStore(DataSource dataSource, String tableName) {
		this(dataSource, tableName, CleanupBatches.defaults());
	}

	/**
	 * A store on the table {@code tableName}, as
	 * {@link #JdbcSessionStore(DataSource, String)}, whose cleanup removes rows in
	 * {@code batches}.
	 */
	public JdbcSessionStore(DataSource dataSource, String tableName, CleanupBatches batches) {
		this.batches = batches;
		this.table = checkTableName(tableName);
		this.connections = new JdbcConnections(dataSource, this.table);
		for (JdbcDialect dialect : JdbcDialect.values()) {
			this.findByPrincipalSql.put(dialect, "SELECT session_id, data, " + dialect.selectAtime()
					+ ", version, principal_name FROM " + this.table + " WHERE principal_hash = ?");
		}
		this.loads = new JdbcLoads(this.connections, this.table);
		this.updates = new JdbcUpdates(this.connections, this.table);
		this.touchSql = "UPDATE " + this.table + " SET atime = ? WHERE session_id = ?";
		this.deleteSql = "DELETE FROM " + this.table + " WHERE session_id = ?";
	}

	/**
	 * Returns {@code tableName} if it is a plain SQL identifier, optionally
	 * schema-qualified: it is written into SQL statements, so nothing else is accepted.
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

	/**
	 * {@inheritDoc}
	 * <p>
	 * Loads that requests ask for at the same time run together, in one select
	 * ({@link JdbcLoads}).
	 */
	@Override
	public @Nullable StoredSession load(String id) {
		return this.loads.load(id);
	}

	/**
	 * A session indexed under no principal name, as
	 * {@link #create(String, byte[], String, Instant)}.
	 */
	@Override
	public boolean create(String id, byte[] data, Instant now) {
		return create(id, data, null, now);
	}

	@Override
	public boolean create(String id, byte[] data, @Nullable String principalName, Instant now) {
		return this.connections.execute("cannot create a session", (connection, dialect) -> {
			try {
				return executeUpdate(connection, dialect.createSql(this.table), id, encode(data), utc(now),
						encodeName(principalName), hash(principalName)) == 1;
			}
			catch (SQLException ex) {
				if (isDuplicateKey(ex)) {
					return false;
				}
				throw ex;
			}
		});
	}

	/**
	 * An update that leaves the session indexed under no principal name, as
	 * {@link #update(String, byte[], String, Instant, long)}.
	 */
	@Override
	public boolean update(String id, byte[] data, Instant now, long expectedVersion) {
		return update(id, data, null, now, expectedVersion);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Updates that requests save at the same time run together, in batches of one
	 * transaction each ({@link JdbcUpdates}); that of a session whose lock a request of
	 * this JVM holds runs alone, on the lock's connection.
	 */
	@Override
	public boolean update(String id, byte[] data, @Nullable String principalName, Instant now, long expectedVersion) {
		return this.updates.run(new Update(id, encode(data), utc(now), encodeName(principalName), hash(principalName),
				expectedVersion));
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * One select on the index of {@code principal_hash}. A row whose name is not
	 * {@code principalName} after all (edited by hand) is not answered; nor is one whose
	 * data is unreadable, which its own request answers with a fresh session.
	 */
	@Override
	public List<StoredSession> findByPrincipalName(String principalName) {
		byte[] name = principalName.getBytes(StandardCharsets.UTF_8);
		return this.connections.execute("cannot find the sessions of a principal", (connection, dialect) -> {
			List<StoredSession> found = new ArrayList<>();
			try (PreparedStatement statement = prepare(connection, this.findByPrincipalSql.get(dialect),
					hash(principalName)); ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					String id = result.getString(1).stripTrailing();
					try {
						String stored = principalName(id, result.getString(5));
						if (stored != null && Arrays.equals(stored.getBytes(StandardCharsets.UTF_8), name)) {
							found.add(new StoredSession(id, decode(id, "data", result.getString(2)),
									dialect.atime(result, 3), result.getLong(4), stored));
						}
					}
					catch (UnreadableSessionException ex) {
						logger.debug("Skipping an unreadable row of " + this + ": " + ex.getMessage());
					}
				}
			}
			return found;
		});
	}

	@Override
	public void touch(String id, Instant now) {
		this.connections.execute(id, "cannot record a use of a session",
				(connection, dialect) -> executeUpdate(connection, this.touchSql, utc(now), id));
	}

	@Override
	public void delete(String id) {
		this.connections.execute(id, "cannot delete a session",
				(connection, dialect) -> executeUpdate(connection, this.deleteSql, id));
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Returns 0 at once if another cleanup of this table is running, here or in another
	 * instance that shares the database: two instances deleting the same rows at once
	 * would only contend for their locks, and the next scheduled run removes whatever
	 * this one skipped.
	 */
	@Override
	public int deleteAccessedBefore(Instant cutoff) {
		if (!this.cleaning.tryLock()) {
			return 0;
		}
		try {
			return this.connections.execute("cannot remove expired sessions", (connection, dialect) -> {
				Object lock = this.connections.lock(connection, "cleanup", "");
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

	private int deleteInBatches(Connection connection, JdbcDialect dialect, LocalDateTime cutoff) throws SQLException {
		int total = 0;
		int removed;
		do {
			removed = dialect.deleteBatch(connection, this.table, cutoff, this.batches.size());
			total += removed;
			this.batches.betweenBatches().run();
		}
		while (removed > 0 && !Thread.currentThread().isInterrupted());
		return total;
	}

	/**
	 * Where the statements run: {@link JdbcSessionLocks} routes a locked session's onto
	 * its lock's connection.
	 */
	JdbcConnections connections() {
		return this.connections;
	}

	private static boolean isDuplicateKey(SQLException ex) {
		return "23505".equals(ex.getSQLState()) || ex.getErrorCode() == 1062;
	}

	@Override
	public String kind() {
		return "jdbc";
	}

	/** A {@code COUNT(*)} of the table: a scan, run after each cleanup only. */
	@Override
	public OptionalLong countByScan() {
		return OptionalLong.of(this.connections.execute("cannot count the sessions", (connection, dialect) -> {
			try (Statement statement = connection.createStatement();
					ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM " + this.table)) {
				result.next();
				return result.getLong(1);
			}
		}));
	}

	/** Names the table, and the database once it has been used. */
	@Override
	public String toString() {
		return this.connections.toString();
	}

}
