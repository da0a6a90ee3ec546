package io.github.webpysession.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;

class JdbcCleanupMariaDbTests extends JdbcCleanupTests {

	JdbcCleanupMariaDbTests() {
		super(TestDatabase.MARIADB);
	}

	@Override
	void insertSessions(int count, LocalDateTime atime) {
		this.jdbc.update("INSERT INTO " + this.table + " (session_id, data, atime, version)"
				+ " SELECT CONCAT(MD5(seq), MD5(-seq)), 'AA==', ?, 0 FROM seq_1_to_" + count, atime);
	}

	@Override
	void blockDeletes(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.executeQuery("SELECT session_id FROM " + this.table + " ORDER BY atime LIMIT 1 FOR UPDATE")
				.close();
		}
	}

	@Override
	int waitingDeletes() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
				+ " WHERE INFO LIKE 'DELETE FROM " + this.table + " %'", Integer.class);
	}

}
