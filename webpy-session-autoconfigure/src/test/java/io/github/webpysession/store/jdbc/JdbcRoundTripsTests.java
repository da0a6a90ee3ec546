package io.github.webpysession.store.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.github.webpysession.Session;
import io.github.webpysession.testsupport.InProcessClient;
import io.github.webpysession.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one request costs the database, counted on the connections the store borrows: the
 * figures the benchmarks compare with Spring Session JDBC's nine statements in three transactions.
 */
class JdbcRoundTripsTests {

	private static final Duration TIMEOUT = Duration.ofHours(1);

	private final MutableClock clock = new MutableClock();

	private final List<String> statements = new CopyOnWriteArrayList<>();

	private TestTable table;

	private InProcessClient client;

	private void open(TestDatabase database) {
		this.table = TestTable.migrated(database);
		JdbcSessionStore store = new JdbcSessionStore(counting(this.table.dataSource()), this.table.name());
		this.client = new InProcessClient(InProcessClient.lifecycle(store, this.clock));
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
		assertThat(this.statements).noneMatch((call) -> call.startsWith("setAutoCommit(false)") || call.equals("commit"));
	}

	private void request(Consumer<Session> handler) {
		this.client.request(handler);
	}

	/** The SQL of every statement prepared, and every call that would open or end a transaction. */
	private DataSource counting(DataSource target) {
		InvocationHandler connections = (proxy, method, args) -> {
			Object result = invoke(method, target, args);
			if (method.getName().equals("getConnection")) {
				Connection connection = (Connection) result;
				return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
						(p, m, a) -> {
							if (m.getName().equals("prepareStatement") || m.getName().equals("createStatement")) {
								this.statements.add(String.valueOf((a != null && a.length > 0) ? a[0] : "statement")
									.trim()
									.toUpperCase(Locale.ROOT));
							}
							else if (m.getName().equals("setAutoCommit") && Boolean.FALSE.equals(a[0])) {
								this.statements.add("setAutoCommit(false)");
							}
							else if (m.getName().equals("commit") || m.getName().equals("rollback")) {
								this.statements.add(m.getName());
							}
							return invoke(m, connection, a);
						});
			}
			return result;
		};
		return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { DataSource.class },
				connections);
	}

	private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

}
