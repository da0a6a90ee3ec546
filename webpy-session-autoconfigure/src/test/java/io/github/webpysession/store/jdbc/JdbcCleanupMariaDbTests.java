package io.github.webpysession.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JdbcCleanupMariaDbTests extends JdbcCleanupTests {

	JdbcCleanupMariaDbTests() {
		super(TestDatabase.MARIADB);
	}

	/**
	 * At the end of every cleanup few expired rows are left: an optimizer that ran the
	 * delete on the atime index then would lock live rows' index entries, and deadlock
	 * with their touches.
	 */
	@Test
	void theCleanupDeletesByPrimaryKeyEvenWhenFewExpiredRowsAreLeft() {
		LocalDateTime live = LocalDateTime.ofInstant(NOW, ZoneOffset.UTC);
		LocalDateTime expired = LocalDateTime.ofInstant(CUTOFF.minusSeconds(60), ZoneOffset.UTC);
		this.jdbc.update(
				"INSERT INTO " + this.table + " (session_id, data, atime, version)"
						+ " SELECT CONCAT(MD5(seq), MD5(-seq)), 'AA==', IF(seq <= 20, ?, ?), 0 FROM seq_1_to_5000",
				expired, live);
		this.jdbc.execute("ANALYZE TABLE " + this.table);
		List<Object> parameters = new ArrayList<>(this.jdbc.queryForList(
				"SELECT session_id FROM " + this.table + " ORDER BY atime LIMIT " + JdbcDialect.DELETE_CHUNK,
				Object.class));
		parameters.add(LocalDateTime.ofInstant(CUTOFF, ZoneOffset.UTC));

		List<Map<String, Object>> plan = this.jdbc.queryForList(
				"EXPLAIN " + JdbcDialect.deleteByIdsSql(this.table, JdbcDialect.DELETE_CHUNK), parameters.toArray());

		assertThat(plan).singleElement().satisfies((row) -> assertThat(row.get("key")).isEqualTo("PRIMARY"));
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
				+ " WHERE INFO LIKE 'DELETE % FROM " + this.table + " %'", Integer.class);
	}

}
