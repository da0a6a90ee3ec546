package io.github.webpysession.store.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.webpysession.store.CleanupPace;
import org.jspecify.annotations.Nullable;

import static io.github.webpysession.store.jdbc.JdbcStatements.executeUpdate;
import static io.github.webpysession.store.jdbc.JdbcStatements.prepare;
import static io.github.webpysession.store.jdbc.JdbcStatements.queryBoolean;

/**
 * What differs between databases: the atomic insert that reports an existing id, the
 * bounded delete, how a select reads {@code atime}, and the locks: the one that lets one
 * instance at a time clean the table, and those of {@link JdbcSessionLocks}. A lock is
 * the database's own, held by a connection's session, so it works across instances
 * without any shared file or extra service, and is released by the database itself if the
 * instance dies while holding it.
 */
enum JdbcDialect {

	/**
	 * {@code ON CONFLICT DO NOTHING} inserts or reports 0 rows atomically; the batch
	 * locks its rows with {@code SKIP LOCKED} so that it never waits for a request that
	 * is saving an expiring session; the lock is a session-level advisory lock.
	 */
	POSTGRESQL("postgresql", "SELECT pg_try_advisory_lock(?)", "SELECT pg_advisory_unlock(?)") {

		/**
		 * The microseconds since the epoch, a {@code bigint}: pgjdbc reads a timestamp
		 * with a {@code TimestampUtils} of each result set's own, whose calendars are
		 * about a quarter of what a load allocates (1.8 rather than 2.5 KB) and a tenth
		 * of its CPU time.
		 */
		@Override
		String selectAtime() {
			return "CAST(EXTRACT(EPOCH FROM atime) * 1000000 AS BIGINT)";
		}

		@Override
		Instant atime(ResultSet result, int column) throws SQLException {
			return Instant.EPOCH.plus(result.getLong(column), ChronoUnit.MICROS);
		}

		@Override
		String createSql(String table) {
			return "INSERT INTO " + table + " (" + INSERTED_COLUMNS + ") VALUES (?, ?, ?, ?, ?, 0)"
					+ " ON CONFLICT (session_id) DO NOTHING";
		}

		@Override
		int deleteBatch(Connection connection, String table, LocalDateTime cutoff, int size) throws SQLException {
			return executeUpdate(connection, "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM "
					+ table + " WHERE atime < ? LIMIT ? FOR UPDATE SKIP LOCKED))", cutoff, size);
		}

	},

	/**
	 * A plain {@code INSERT} whose duplicate-key error (1062) means the id exists. Not
	 * {@code INSERT IGNORE}, which turns other errors, such as truncated data, into
	 * warnings too; and not {@code ON DUPLICATE KEY UPDATE}, whose row count cannot tell
	 * an insert from a no-op update while the driver reports found rows rather than
	 * changed ones, as MariaDB Connector/J and MySQL Connector/J do by default. The lock
	 * is {@code GET_LOCK}, whose names are server-wide, hence a name qualified by the
	 * database.
	 */
	MYSQL("mysql", "SELECT GET_LOCK(?, 0)", "SELECT RELEASE_LOCK(?)") {

		@Override
		String createSql(String table) {
			return "INSERT INTO " + table + " (" + INSERTED_COLUMNS + ") VALUES (?, ?, ?, ?, ?, 0)";
		}

		/**
		 * Selects a batch of expired ids with a plain, lock-free read, then deletes those
		 * rows by primary key, {@value #DELETE_CHUNK} at a time, if they are still
		 * expired. A {@code DELETE … WHERE atime < ? LIMIT ?} would scan the
		 * {@code atime} index with next-key locks that reach past the cutoff into live
		 * rows, and deadlock with a request touching one of them; so would a delete by
		 * ids that the optimizer runs on that index, which it prefers whenever few
		 * expired rows are left, at the end of every cleanup. Hence the index hint, which
		 * MariaDB and MySQL take in the multi-table form of {@code DELETE} only, and
		 * short lists of ids, which MariaDB would otherwise turn into a join from 1000 on
		 * ({@code in_predicate_conversion_threshold}).
		 */
		@Override
		int deleteBatch(Connection connection, String table, LocalDateTime cutoff, int size) throws SQLException {
			List<String> ids = new ArrayList<>();
			try (PreparedStatement select = prepare(connection,
					"SELECT session_id FROM " + table + " WHERE atime < ? LIMIT ?", cutoff, size);
					ResultSet result = select.executeQuery()) {
				while (result.next()) {
					ids.add(result.getString(1));
				}
			}
			int removed = 0;
			for (int from = 0; from < ids.size(); from += DELETE_CHUNK) {
				int to = Math.min(ids.size(), from + DELETE_CHUNK);
				List<Object> parameters = new ArrayList<>(ids.subList(from, to));
				String sql = deleteByIdsSql(table, parameters.size());
				parameters.add(cutoff);
				removed += executeUpdate(connection, sql, parameters.toArray());
			}
			return removed;
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
	 * merges of one id may still both try to insert, and the loser's duplicate-key error
	 * means the id exists, as everywhere. H2 runs embedded in one JVM, so the store's own
	 * lock is all the cleanup needs, and {@link JdbcSessionLocks} keeps its locks in the
	 * JVM too.
	 */
	H2("h2", null, null) {

		@Override
		String createSql(String table) {
			return "MERGE INTO " + table + " t USING (VALUES (CAST(? AS CHAR(128)), CAST(? AS TEXT),"
					+ " CAST(? AS TIMESTAMP(6)), CAST(? AS TEXT), CAST(? AS CHAR(64))))"
					+ " s (session_id, data, atime, principal_name, principal_hash) ON t.session_id = s.session_id"
					+ " WHEN NOT MATCHED THEN INSERT (" + INSERTED_COLUMNS + ")"
					+ " VALUES (s.session_id, s.data, s.atime, s.principal_name, s.principal_hash, 0)";
		}

		/**
		 * Deletes {@value #DELETE_CHUNK} rows per statement, each its own transaction: H2
		 * runs a delete in the application's own JVM, at about a millisecond a row on a
		 * busy machine, so a statement of a whole batch would keep the CPU and the
		 * table's pages from requests for long. After each statement the cleanup rests
		 * ({@link CleanupPace}): without the rests, requests waited up to 80 ms in a
		 * probe of 1 000 000 expired sessions on 2 busy cores (the benchmarks'
		 * {@code CleanupProbe}). With them no request waits on a lock of the cleanup's,
		 * though the JVM's collections of H2's pages and H2's own work still hold some
		 * for 50 to 120 ms there: the README advises another database for such tables.
		 */
		@Override
		int deleteBatch(Connection connection, String table, LocalDateTime cutoff, int size) throws SQLException {
			String sql = "DELETE FROM " + table + " WHERE atime < ? FETCH FIRST ? ROWS ONLY";
			CleanupPace pace = new CleanupPace();
			int removed = 0;
			int last;
			do {
				last = executeUpdate(connection, sql, cutoff, Math.min(DELETE_CHUNK, size - removed));
				removed += last;
				if (last > 0) {
					pace.rest();
				}
			}
			while (last > 0 && removed < size && !Thread.currentThread().isInterrupted());
			return removed;
		}

	};

	/**
	 * The columns of {@link #createSql}, whose parameters are given in this order (the
	 * version last, as 0).
	 */
	static final String INSERTED_COLUMNS = "session_id, data, atime, principal_name, principal_hash, version";

	/**
	 * How many ids one delete of a MariaDB or MySQL cleanup batch names; how many rows
	 * one delete of an H2 batch removes.
	 */
	static final int DELETE_CHUNK = 100;

	/**
	 * The delete of {@code ids} rows by primary key, still expired: the ids'
	 * placeholders, then the cutoff's. MariaDB and MySQL only (see {@link #MYSQL}).
	 */
	static String deleteByIdsSql(String table, int ids) {
		return "DELETE t FROM " + table + " t FORCE INDEX (PRIMARY) WHERE t.session_id IN ("
				+ String.join(", ", Collections.nCopies(ids, "?")) + ") AND t.atime < ?";
	}

	/** The folder of this database's Flyway migrations. */
	final String migrationFolder;

	/**
	 * Takes a lock without waiting, answering whether it did; null where the JVM's own
	 * lock is enough.
	 */
	private final @Nullable String tryLockSql;

	/** Releases a lock, answering whether it was held. */
	private final @Nullable String unlockSql;

	JdbcDialect(String migrationFolder, @Nullable String tryLockSql, @Nullable String unlockSql) {
		this.migrationFolder = migrationFolder;
		this.tryLockSql = tryLockSql;
		this.unlockSql = unlockSql;
	}

	/**
	 * The insert of a new session at version 0 that reports an existing id: its
	 * parameters are those of {@link #INSERTED_COLUMNS} but the version.
	 */
	abstract String createSql(String table);

	/**
	 * Deletes at most {@code size} rows last accessed before {@code cutoff}, in
	 * statements of their own, committed as they run.
	 * @return how many were deleted; 0 when none is left to delete
	 */
	abstract int deleteBatch(Connection connection, String table, LocalDateTime cutoff, int size) throws SQLException;

	/**
	 * How a select list names the {@code atime} column, read by {@link #atime}: the
	 * column itself.
	 */
	String selectAtime() {
		return "atime";
	}

	/**
	 * The {@code atime} of a result row, selected as {@link #selectAtime} says, in column
	 * {@code column}.
	 */
	Instant atime(ResultSet result, int column) throws SQLException {
		return JdbcColumns.instant(result.getObject(column, LocalDateTime.class));
	}

	/**
	 * The schema or database that an unqualified table name resolves in: the connection's
	 * schema.
	 */
	String namespace(Connection connection) throws SQLException {
		return String.valueOf(connection.getSchema());
	}

	/**
	 * The lock that {@link #tryLock} takes, named by {@code purpose} and a hash unique to
	 * it: the hash itself, as an advisory lock's key.
	 */
	Object lock(String purpose, long hash) {
		return hash;
	}

	/**
	 * Whether loads that requests ask for at the same time gain by running together
	 * ({@link JdbcLoads}): they share a round trip to the server. Not on H2, which runs in
	 * the application's own JVM: there a batch saves no round trip and adds the waits
	 * (in the benchmarks' run of 2026-12-06, gathered loads cost a {@code /read} on H2
	 * about 20 µs more of the application's CPU, and a fifth of its throughput).
	 */
	boolean gathersLoads() {
		return this != H2;
	}

	/**
	 * Takes the lock for this connection's session without waiting; false if it is taken.
	 */
	boolean tryLock(Connection connection, Object lock) throws SQLException {
		return (this.tryLockSql == null) || queryBoolean(connection, this.tryLockSql, lock);
	}

	/** Releases the lock; false if this connection's session did not hold it. */
	boolean unlock(Connection connection, Object lock) throws SQLException {
		return (this.unlockSql == null) || queryBoolean(connection, this.unlockSql, lock);
	}

	/**
	 * The dialect of the database behind {@code metaData}.
	 * @throws SQLException if it is none of the supported databases
	 */
	static JdbcDialect of(DatabaseMetaData metaData) throws SQLException {
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
