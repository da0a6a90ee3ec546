package io.github.webpysession.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;

class JdbcCleanupPostgresTests extends JdbcCleanupTests {

	JdbcCleanupPostgresTests() {
		super(TestDatabase.POSTGRESQL);
	}

	@Override
	void insertSessions(int count, LocalDateTime atime) {
		this.jdbc.update(
				"INSERT INTO " + this.table + " (session_id, data, atime, version)"
						+ " SELECT md5(i::text) || md5((-i)::text), 'AA==', ?, 0 FROM generate_series(1, ?) i",
				atime, count);
	}

	@Override
	void blockDeletes(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute("LOCK TABLE " + this.table + " IN SHARE MODE");
		}
	}

	@Override
	int waitingDeletes() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
				+ " AND query LIKE 'DELETE FROM " + this.table + " %'", Integer.class);
	}

}
