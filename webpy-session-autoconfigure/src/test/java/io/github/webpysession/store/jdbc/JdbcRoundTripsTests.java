package io.github.webpysession.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import io.github.webpysession.Session;
import io.github.webpysession.testsupport.InProcessClient;
import io.github.webpysession.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one request costs the database, counted on the connections the store borrows: the
 * figures the benchmarks compare with Spring Session JDBC's nine statements in three
 * transactions.
 */
class JdbcRoundTripsTests {

	private static final Duration TIMEOUT = Duration.ofHours(1);

	private final MutableClock clock = new MutableClock();

	private final CountingDataSource counting = new CountingDataSource();

	private final List<String> statements = this.counting.statements();

	private TestTable table;

	private JdbcSessionStore store;

	private InProcessClient client;

	private void open(TestDatabase database) {
		this.table = TestTable.migrated(database);
		this.store = new JdbcSessionStore(this.counting.wrap(this.table.dataSource()), this.table.name());
		this.client = new InProcessClient(InProcessClient.lifecycle(this.store, this.clock));
		request((session) -> session.put("count", 1));
		this.statements.clear();
	}

	@AfterEach
	void close() {
		if (this.table != null) {
			this.table.close();
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "H2", "POSTGRESQL" })
	void aReadOnlyRequestOfALiveSessionIsOneSelect(TestDatabase database) {
		open(database);
		request((session) -> session.get("count"));
		assertThat(this.statements).singleElement().satisfies((sql) -> assertThat(sql).startsWith("SELECT"));
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "H2", "POSTGRESQL" })
	void aReadOnlyRequestAfterAQuarterOfTheTimeoutAddsOneTouch(TestDatabase database) {
		open(database);
		this.clock.advance(TIMEOUT.dividedBy(4).plusSeconds(1));
		request((session) -> session.get("count"));
		assertThat(this.statements).hasSize(2);
		assertThat(this.statements.get(1)).startsWith("UPDATE").doesNotContain("data");
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "H2", "POSTGRESQL" })
	void aWriteOfALiveSessionIsOneSelectAndOneUpdate(TestDatabase database) {
		open(database);
		request((session) -> session.put("count", session.get("count", 0) + 1));
		assertThat(this.statements).hasSize(2);
		assertThat(this.statements.get(0)).startsWith("SELECT");
		assertThat(this.statements.get(1)).startsWith("UPDATE");
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "H2", "POSTGRESQL" })
	void aLoginThatIndexesTheSessionUnderItsPrincipalIsOneSelectAndOneUpdate(TestDatabase database) {
		open(database);
		request((session) -> logIn(session, "alice"));
		assertThat(this.statements).hasSize(2);
		assertThat(this.statements.get(0)).startsWith("SELECT");
		assertThat(this.statements.get(1)).startsWith("UPDATE").contains("PRINCIPAL_HASH");
		assertThat(this.table.store().findByPrincipalName("alice")).hasSize(1);
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "H2", "POSTGRESQL" })
	void aWriteOfASessionIndexedUnderItsPrincipalIsOneSelectAndOneUpdate(TestDatabase database) {
		open(database);
		request((session) -> logIn(session, "alice"));
		this.statements.clear();
		request((session) -> session.put("count", session.get("count", 0) + 1));
		assertThat(this.statements).hasSize(2);
		assertThat(this.statements.get(0)).startsWith("SELECT");
		assertThat(this.statements.get(1)).startsWith("UPDATE");
		assertThat(this.table.store().findByPrincipalName("alice")).hasSize(1);
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "H2", "POSTGRESQL" })
	void aNewSessionUnderAPrincipalIsOneInsert(TestDatabase database) {
		open(database);
		this.client.forgetCookie();
		request((session) -> logIn(session, "alice"));
		assertThat(this.statements).singleElement()
			.satisfies((sql) -> assertThat(sql).matches("(INSERT|MERGE) INTO .*").contains("PRINCIPAL_HASH"));
		assertThat(this.table.store().findByPrincipalName("alice")).hasSize(1);
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void findingTheSessionsOfAPrincipalIsOneSelectOnItsIndex(TestDatabase database) throws SQLException {
		open(database);
		for (int i = 0; i < 20; i++) {
			this.client.forgetCookie();
			String name = "user-" + (i % 5);
			request((session) -> logIn(session, name));
		}
		this.statements.clear();

		assertThat(this.store.findByPrincipalName("user-1")).hasSize(4);

		assertThat(this.statements).singleElement().satisfies((sql) -> assertThat(sql).startsWith("SELECT"));
		assertThat(plan(database, this.statements.get(0).toLowerCase(Locale.ROOT)).toLowerCase(Locale.ROOT))
			.contains(this.table.name() + "_principal");
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "H2", "POSTGRESQL" })
	void aNewSessionIsOneInsert(TestDatabase database) {
		open(database);
		this.client.forgetCookie();
		request((session) -> session.put("count", 1));
		assertThat(this.statements).singleElement()
			.satisfies((sql) -> assertThat(sql).matches("(INSERT|MERGE) INTO .*"));
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "H2", "POSTGRESQL" })
	void aRequestThatNeverTouchesTheSessionSendsNothing(TestDatabase database) {
		open(database);
		request((session) -> {
		});
		assertThat(this.statements).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "H2", "POSTGRESQL" })
	void noRequestOpensATransaction(TestDatabase database) {
		open(database);
		request((session) -> session.put("count", 2));
		request((session) -> session.regenerateId());
		request((session) -> session.kill());
		assertThat(this.statements)
			.noneMatch((call) -> call.startsWith("setAutoCommit(false)") || call.equals("commit"));
	}

	private void request(Consumer<Session> handler) {
		this.client.request(handler);
	}

	/**
	 * What a login writes: an attribute, and the principal name the session is indexed
	 * under.
	 */
	private static void logIn(Session session, String name) {
		session.put("user", name);
		session.setPrincipalName(name);
	}

	/**
	 * The database's plan for {@code sql}, whose one parameter is a principal's hash.
	 * PostgreSQL is told to avoid a sequential scan, which it prefers on a table this
	 * small, so that the plan shows whether the index can serve the statement.
	 */
	private String plan(TestDatabase database, String sql) throws SQLException {
		try (Connection connection = this.table.dataSource().getConnection()) {
			if (database == TestDatabase.POSTGRESQL) {
				try (Statement statement = connection.createStatement()) {
					statement.execute("SET enable_seqscan = off");
				}
			}
			try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + sql)) {
				explain.setString(1, "0".repeat(64));
				StringBuilder plan = new StringBuilder();
				try (ResultSet result = explain.executeQuery()) {
					while (result.next()) {
						for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
							plan.append(result.getString(column)).append(' ');
						}
						plan.append('\n');
					}
				}
				return plan.toString();
			}
			finally {
				if (database == TestDatabase.POSTGRESQL) {
					try (Statement statement = connection.createStatement()) {
						statement.execute("RESET enable_seqscan");
					}
				}
			}
		}
	}

}
