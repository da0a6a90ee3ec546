package io.github.webpysession.store.jdbc;

import java.util.List;

import io.github.webpysession.testsupport.InProcessClient;
import io.github.webpysession.testsupport.MutableClock;
import io.github.webpysession.web.SessionIds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDBC table holds nothing a client could present as a cookie: read raw, its rows
 * name sessions by the digest of their id, and no column holds the id.
 */
class JdbcIdsAtRestTests extends OnATestTable {

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void theTableKeepsTheDigestOfTheIdNeverTheId(TestDatabase database) {
		this.table = TestTable.migrated(database);
		InProcessClient client = new InProcessClient(InProcessClient.lifecycle(this.table.store(), new MutableClock()));
		String id = client.request((session) -> session.put("user", "alice")).getId();
		String regenerated = client.request((session) -> session.regenerateId()).getId();

		List<String> rows = this.table.jdbc()
			.queryForList("SELECT session_id, data FROM " + this.table.name())
			.stream()
			.map((row) -> row.get("session_id").toString().trim() + " " + row.get("data"))
			.toList();

		assertThat(rows).hasSize(2)
			.anySatisfy((row) -> assertThat(row).startsWith(SessionIds.digest(regenerated) + " "))
			.anySatisfy((row) -> assertThat(row).startsWith(SessionIds.digest(id) + " "))
			.allSatisfy((row) -> assertThat(row).doesNotContain(id).doesNotContain(regenerated));
	}

}
