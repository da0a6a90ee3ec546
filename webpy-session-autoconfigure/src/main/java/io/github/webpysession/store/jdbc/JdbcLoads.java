package io.github.webpysession.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.StoredSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import static io.github.webpysession.store.jdbc.JdbcColumns.decode;
import static io.github.webpysession.store.jdbc.JdbcColumns.principalName;
import static io.github.webpysession.store.jdbc.JdbcStatements.prepare;

/**
 * The JDBC store's loads: one select by primary key when none other runs; those that
 * requests ask for while another runs run together ({@link JdbcBatches}), one select of
 * them all; that of a session whose lock a request of this JVM holds runs alone, on the
 * lock's connection, and so does every load on embedded H2 (see
 * {@link JdbcDialect#gathersLoads()}).
 * <p>
 * The select of a batch is the single load's select for each id, joined by
 * {@code UNION ALL} and told apart by their position: each row is matched by the
 * database's own comparison of ids, as a load alone would be, whatever the collation. Its
 * ids are padded to the next power of two, so that six statements serve every batch and
 * each is prepared once per connection. A row's columns are decoded by its own request,
 * so that an unreadable row is that request's failure only.
 */
final class JdbcLoads implements JdbcBatches.Statements<String, JdbcLoads.@Nullable Row> {

	private static final Log logger = LogFactory.getLog(JdbcLoads.class);

	private final JdbcConnections connections;

	private final Map<JdbcDialect, String> selectOne = new EnumMap<>(JdbcDialect.class);

	/** By dialect, the selects of 2, 4, 8 … {@link JdbcBatches#MAX_BATCH} ids. */
	private final Map<JdbcDialect, String[]> selectMany = new EnumMap<>(JdbcDialect.class);

	private final JdbcBatches<String, @Nullable Row> batches = new JdbcBatches<>((id) -> id, this);

	JdbcLoads(JdbcConnections connections, String table) {
		this.connections = connections;
		for (JdbcDialect dialect : JdbcDialect.values()) {
			String columns = "data, " + dialect.selectAtime() + ", version, principal_name FROM " + table
					+ " WHERE session_id = ?";
			this.selectOne.put(dialect, "SELECT " + columns);
			List<String> many = new ArrayList<>();
			for (int ids = 2; ids <= JdbcBatches.MAX_BATCH; ids *= 2) {
				List<String> selects = new ArrayList<>();
				for (int i = 0; i < ids; i++) {
					selects.add("SELECT " + i + " AS i, " + columns);
				}
				many.add(String.join(" UNION ALL ", selects));
			}
			this.selectMany.put(dialect, many.toArray(String[]::new));
		}
	}

	/**
	 * The session stored under {@code id}, alone or in a batch; null if there is none.
	 * @throws UnreadableSessionException if its row cannot be read
	 */
	@Nullable StoredSession load(String id) {
		Row row = gathers(id) ? this.batches.run(id) : runAlone(id);
		return (row != null) ? row.session(id) : null;
	}

	/**
	 * Whether the load of {@code id} may run in a batch: not if a request of this JVM
	 * holds its lock, nor before the first statement told the database, nor on one where
	 * batches gain nothing ({@link JdbcDialect#gathersLoads()}).
	 */
	private boolean gathers(String id) {
		JdbcDialect dialect = this.connections.knownDialect();
		return dialect != null && dialect.gathersLoads() && !this.connections.isLockedHere(id);
	}

	@Override
	public @Nullable Row runAlone(String id) {
		return this.connections.execute(id, "cannot load a session", (connection, dialect) -> {
			try (PreparedStatement statement = prepare(connection, this.selectOne.get(dialect), id);
					ResultSet result = statement.executeQuery()) {
				return result.next() ? new Row(result.getString(1), dialect.atime(result, 2), result.getLong(3),
						result.getString(4)) : null;
			}
		});
	}

	/**
	 * Runs one select of the sessions {@code ids}; null if it failed in its statement, so
	 * that each is loaded again alone.
	 */
	@Override
	public @Nullable List<@Nullable Row> runTogether(List<String> ids) {
		return this.connections.execute("cannot load sessions", (connection, dialect) -> {
			int size = Integer.highestOneBit(ids.size() - 1) << 1;
			Object[] parameters = Arrays.copyOf(ids.toArray(), size);
			Arrays.fill(parameters, ids.size(), size, ids.get(0));
			String sql = this.selectMany.get(dialect)[Integer.numberOfTrailingZeros(size) - 1];
			List<@Nullable Row> rows = new ArrayList<>(Collections.nCopies(ids.size(), null));
			try (PreparedStatement statement = prepare(connection, sql, parameters);
					ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					int i = result.getInt(1);
					if (i < ids.size()) {
						rows.set(i, new Row(result.getString(2), dialect.atime(result, 3), result.getLong(4),
								result.getString(5)));
					}
				}
				return rows;
			}
			catch (SQLException ex) {
				// Not the exception's message: a driver's can quote the parameters, ids
				// included
				logger.debug(this.connections + ": a select of " + ids.size() + " sessions failed ("
						+ ex.getClass().getSimpleName() + ", SQL state " + ex.getSQLState()
						+ ") and runs again session by session");
				return null;
			}
		});
	}

	/** A session's row as selected, its Base64 columns not yet decoded. */
	record Row(@Nullable String data, Instant atime, long version, @Nullable String encodedPrincipalName) {

		/**
		 * The stored session {@code id} this row holds.
		 * @throws UnreadableSessionException if a column is not Base64
		 */
		StoredSession session(String id) {
			return new StoredSession(id, decode(id, "data", this.data), this.atime, this.version,
					principalName(id, this.encodedPrincipalName));
		}

	}

}
