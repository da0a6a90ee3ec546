package io.github.webpysession.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import static io.github.webpysession.store.jdbc.JdbcStatements.executeUpdate;

/**
 * The JDBC store's updates: a compare-and-set on the {@code version} column, one
 * auto-committed statement when none other runs; those that requests save while another
 * runs run together, one batch in one transaction ({@link JdbcBatches}); that of a session
 * whose lock a request of this JVM holds runs alone, on the lock's connection.
 */
final class JdbcUpdates implements JdbcBatches.Statements<JdbcUpdates.Update, Boolean> {

	private static final Log logger = LogFactory.getLog(JdbcUpdates.class);

	private final JdbcConnections connections;

	private final String updateSql;

	private final JdbcBatches<Update, Boolean> batches = new JdbcBatches<>(Update::id, this);

	/**
	 * False once a batch found that the driver does not count each statement's rows: the
	 * updates then run alone, as they would without batches.
	 */
	private volatile boolean batchesCountRows = true;

	JdbcUpdates(JdbcConnections connections, String table) {
		this.connections = connections;
		this.updateSql = "UPDATE " + table + " SET data = ?, atime = ?, principal_name = ?, principal_hash = ?,"
				+ " version = version + 1 WHERE session_id = ? AND version = ?";
	}

	/**
	 * Runs {@code update}, alone or in a batch, and answers whether it was applied: false
	 * if the session's version was not the one expected, or it is gone.
	 */
	boolean run(Update update) {
		return (this.connections.isLockedHere(update.id()) || !this.batchesCountRows) ? runAlone(update)
				: this.batches.run(update);
	}

	@Override
	public Boolean runAlone(Update update) {
		return this.connections.execute(update.id(), "cannot update a session",
				(connection, dialect) -> executeUpdate(connection, this.updateSql, update.parameters()) == 1);
	}

	/**
	 * Runs {@code updates} as one batch in one transaction; null if it was rolled back, so
	 * that each runs again alone: because it failed in its statements, or its database
	 * does not count each statement's rows, or its connection broke. A broken
	 * connection's transaction is rolled back by the database; should it break in the
	 * commit, after the database committed, each update run alone finds its session's
	 * version moved on, as it would behind a concurrent save.
	 */
	@Override
	public @Nullable List<Boolean> runTogether(List<Update> updates) {
		return this.connections.execute("cannot update sessions", (connection, dialect) -> {
			connection.setAutoCommit(false);
			try (PreparedStatement statement = connection.prepareStatement(this.updateSql)) {
				for (Update update : updates) {
					JdbcStatements.set(statement, update.parameters());
					statement.addBatch();
				}
				List<Boolean> applied = applied(statement.executeBatch(), updates.size());
				if (applied == null) {
					connection.rollback();
					this.batchesCountRows = false;
					logger.info(this.connections + ": the JDBC driver does not count the rows of each statement of a"
							+ " batch, so concurrent saves run one by one (with MariaDB Connector/J, leave useBulkStmts"
							+ " off)");
					return null;
				}
				connection.commit();
				return applied;
			}
			catch (SQLException ex) {
				// Not the exception's message: a driver's can quote the statements'
				// parameters, ids included
				logger.debug(this.connections + ": a batch of " + updates.size() + " updates failed ("
						+ ex.getClass().getSimpleName() + ", SQL state " + ex.getSQLState()
						+ ") and runs again update by update");
				try {
					connection.rollback();
				}
				catch (SQLException broken) {
					logger.debug(this.connections + ": the batch's connection broke (SQL state " + broken.getSQLState()
							+ "), and its transaction with it");
				}
				return null;
			}
			finally {
				restoreAutoCommit(connection);
			}
		});
	}

	/**
	 * Puts {@code connection} back in auto-commit before it returns to the pool; one that
	 * broke meanwhile is left as it is, for the pool to drop.
	 */
	private void restoreAutoCommit(Connection connection) {
		try {
			connection.setAutoCommit(true);
		}
		catch (SQLException ex) {
			logger.debug(this.connections + ": a batch's connection broke (SQL state " + ex.getSQLState()
					+ ") and goes back to the pool as it is");
		}
	}

	/**
	 * Whether each statement of a batch updated its row, from the rows each counted; null
	 * if one's count is not 0 or 1, as when a driver reports none.
	 */
	private static @Nullable List<Boolean> applied(int[] counts, int statements) {
		if (counts.length != statements) {
			return null;
		}
		List<Boolean> applied = new ArrayList<>(counts.length);
		for (int count : counts) {
			if (count != 0 && count != 1) {
				return null;
			}
			applied.add(count == 1);
		}
		return applied;
	}

	/**
	 * The columns one update writes, encoded, and the version it expects:
	 * {@link #parameters()} are those of the {@code UPDATE}, the id and the expected
	 * version last.
	 */
	record Update(String id, String data, LocalDateTime atime, @Nullable String principalName,
			@Nullable String principalHash, long expectedVersion) {

		Object[] parameters() {
			return new Object[] { this.data, this.atime, this.principalName, this.principalHash, this.id,
					this.expectedVersion };
		}

	}

}
