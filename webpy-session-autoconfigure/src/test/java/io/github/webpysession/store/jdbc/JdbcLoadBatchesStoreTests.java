package io.github.webpysession.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.store.jdbc.CountingDataSource.Hold;
import io.github.webpysession.testsupport.TcpProxy;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The loads that requests ask for at the same time, run together on PostgreSQL and
 * MariaDB ({@link JdbcLoads}, {@link JdbcBatches}): one select answers each request its
 * own session, or none, whatever the size of the batch; a row that cannot be read fails
 * its own request only, and a broken connection none. A batch is made to form by holding
 * the first load back as it asks the pool for its connection. On embedded H2 each load
 * runs alone.
 */
@Timeout(60)
class JdbcLoadBatchesStoreTests extends ConcurrentRequestsOnATestTable {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	/** How many sessions {@link #created} made: the next one's number, in its id. */
	private int sessions;

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "POSTGRESQL", "MARIADB" })
	void loadsAskedForWhileAnotherRunsRunTogetherInOneSelect(TestDatabase database) throws Exception {
		open(database);
		List<String> ids = created(6);
		List<Future<@Nullable StoredSession>> batched = whileTheFirstWaits(ids.get(0), ids.subList(1, ids.size()));
		for (int i = 0; i < batched.size(); i++) {
			assertThat(data(batched.get(i).get(10, TimeUnit.SECONDS))).isEqualTo("data of " + ids.get(i + 1));
		}
		assertThat(this.counting.statements()).filteredOn((sql) -> sql.contains("UNION ALL")).hasSize(1);
		assertThat(this.counting.statements()).hasSize(2);
		assertThat(this.counting.connections()).isEqualTo(2);
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "POSTGRESQL", "MARIADB" })
	void aBatchOfAnySizeAnswersEachRequestItsOwnSession(TestDatabase database) throws Exception {
		open(database);
		for (int size : new int[] { 2, 3, 5, 31, 32, 33, JdbcBatches.MAX_BATCH }) {
			List<String> ids = created(size + 1);
			List<Future<@Nullable StoredSession>> batched = whileTheFirstWaits(ids.get(0), ids.subList(1, ids.size()));
			for (int i = 0; i < batched.size(); i++) {
				StoredSession session = batched.get(i).get(10, TimeUnit.SECONDS);
				assertThat(session.id()).isEqualTo(ids.get(i + 1));
				assertThat(data(session)).isEqualTo("data of " + ids.get(i + 1));
				assertThat(session.lastAccessed()).isEqualTo(T0);
			}
			assertThat(this.counting.statements()).as("a batch of %d", size)
				.filteredOn((sql) -> sql.contains("UNION ALL"))
				.hasSize(1);
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "POSTGRESQL", "MARIADB" })
	void aSessionThatIsNotStoredIsAnsweredNoneInABatch(TestDatabase database) throws Exception {
		open(database);
		List<String> ids = created(3);
		String missing = id(999);
		List<Future<@Nullable StoredSession>> batched = whileTheFirstWaits(ids.get(0),
				List.of(ids.get(1), missing, ids.get(2)));
		assertThat(data(batched.get(0).get())).isEqualTo("data of " + ids.get(1));
		assertThat(batched.get(1).get()).isNull();
		assertThat(data(batched.get(2).get())).isEqualTo("data of " + ids.get(2));
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "POSTGRESQL", "MARIADB" })
	void twoRequestsOfOneSessionInABatchEachGetIt(TestDatabase database) throws Exception {
		open(database);
		List<String> ids = created(2);
		List<Future<@Nullable StoredSession>> batched = whileTheFirstWaits(ids.get(0),
				List.of(ids.get(1), ids.get(1)));
		StoredSession one = batched.get(0).get();
		StoredSession other = batched.get(1).get();
		assertThat(data(one)).isEqualTo(data(other)).isEqualTo("data of " + ids.get(1));
		assertThat(one.data()).as("each request's own bytes").isNotSameAs(other.data());
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "POSTGRESQL", "MARIADB" })
	void aRowThatCannotBeReadInABatchFailsItsOwnRequestOnly(TestDatabase database) throws Exception {
		open(database);
		List<String> ids = created(4);
		String unreadable = ids.get(2);
		this.table.jdbc().update("UPDATE " + this.table.name() + " SET data = '%%%' WHERE session_id = ?", unreadable);
		List<Future<@Nullable StoredSession>> batched = whileTheFirstWaits(ids.get(0), ids.subList(1, ids.size()));
		assertThat(data(batched.get(0).get())).isEqualTo("data of " + ids.get(1));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(batched.get(1)::get)
			.havingCause()
			.isInstanceOf(UnreadableSessionException.class);
		assertThat(data(batched.get(2).get())).isEqualTo("data of " + ids.get(3));
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "POSTGRESQL", "MARIADB" })
	void aBatchWhoseConnectionBreaksRunsEachLoadAgainAloneAndAnswersEachItsOwnSession(TestDatabase database)
			throws Exception {
		open(database);
		List<String> ids = created(5);
		Queued<@Nullable StoredSession> queued = loadsQueuedBehind(ids.get(0), ids.subList(1, ids.size()));
		Hold batch = this.counting.holdNextConnection();
		queued.hold().release();
		assertThat(data(queued.first().get(10, TimeUnit.SECONDS))).isEqualTo("data of " + ids.get(0));
		batch.awaitBorrower();
		Connection lock = lockingTheTable();
		try {
			batch.release();
			killTheConnectionWaitingIn("%UNION ALL%" + this.table.name() + "%");
		}
		finally {
			unlock(lock);
		}
		for (int i = 0; i < queued.others().size(); i++) {
			assertThat(data(queued.others().get(i).get(10, TimeUnit.SECONDS))).isEqualTo("data of " + ids.get(i + 1));
		}
	}

	@Test
	void aBatchCutOffMidSelectAnswersEachRequestItsOwnSessionOrAStoreFailureAndTheStoreRecovers() throws Exception {
		this.table = TestTable.migrated(TestDatabase.POSTGRESQL);
		try (TcpProxy proxy = new TcpProxy(5432); HikariDataSource proxied = TestDatabase.POSTGRESQL
			.dataSource("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test")) {
			proxied.setConnectionTimeout(1000);
			openOn(proxied);
			List<String> ids = created(6);
			proxy.setLatency(Duration.ofMillis(300));
			Queued<@Nullable StoredSession> queued = loadsQueuedBehind(ids.get(0), ids.subList(1, ids.size()));
			List<Future<@Nullable StoredSession>> loads = new ArrayList<>(List.of(queued.first()));
			loads.addAll(queued.others());
			queued.hold().release();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.counting.statements().stream().anyMatch((sql) -> sql.contains("UNION ALL")));
			proxy.cut();
			proxy.setLatency(Duration.ZERO);
			for (int i = 0; i < loads.size(); i++) {
				try {
					assertThat(data(loads.get(i).get(20, TimeUnit.SECONDS))).isEqualTo("data of " + ids.get(i));
				}
				catch (ExecutionException ex) {
					assertThat(ex.getCause()).isInstanceOf(SessionStoreException.class);
				}
			}
			for (String id : ids) {
				await().atMost(Duration.ofSeconds(30))
					.ignoreExceptions()
					.untilAsserted(() -> assertThat(data(this.store.load(id))).isEqualTo("data of " + id));
			}
		}
	}

	@Test
	void onEmbeddedH2LoadsAskedForWhileAnotherRunsEachRunAlone() throws Exception {
		open(TestDatabase.H2);
		List<String> ids = created(4);
		this.counting.clear();
		Hold hold = this.counting.holdNextConnection();
		Future<@Nullable StoredSession> held = this.requests.submit(() -> this.store.load(ids.get(0)));
		hold.awaitBorrower();
		for (String id : ids.subList(1, ids.size())) {
			assertThat(data(this.requests.submit(() -> this.store.load(id)).get(10, TimeUnit.SECONDS)))
				.isEqualTo("data of " + id);
		}
		hold.release();
		assertThat(data(held.get(10, TimeUnit.SECONDS))).isEqualTo("data of " + ids.get(0));
		assertThat(this.counting.statements()).hasSize(ids.size()).noneMatch((sql) -> sql.contains("UNION ALL"));
	}

	/**
	 * Loads {@code first}, held back as it asks for its connection; loads each of
	 * {@code others} once it is, and lets the first go once they all wait for it. Answers
	 * the others' futures, with the counting of statements begun as the first was let
	 * go.
	 */
	private List<Future<@Nullable StoredSession>> whileTheFirstWaits(String first, List<String> others)
			throws Exception {
		Queued<@Nullable StoredSession> queued = loadsQueuedBehind(first, others);
		this.counting.clear();
		queued.hold().release();
		assertThat(data(queued.first().get(10, TimeUnit.SECONDS))).isEqualTo("data of " + first);
		for (Future<@Nullable StoredSession> load : queued.others()) {
			try {
				load.get(10, TimeUnit.SECONDS);
			}
			catch (ExecutionException ex) {
				// the test reads it
			}
		}
		return queued.others();
	}

	/** Loads of {@code others} queued behind that of {@code first}, held back. */
	private Queued<@Nullable StoredSession> loadsQueuedBehind(String first, List<String> others)
			throws InterruptedException {
		return queuedBehindAHeldFirst(first, others, (id) -> () -> this.store.load(id));
	}

	/**
	 * A connection of the test's own that holds the test's table, so that every other
	 * connection's select of it waits, until {@link #unlock}.
	 */
	private Connection lockingTheTable() throws SQLException {
		Connection connection = this.table.dataSource().getConnection();
		try (Statement statement = connection.createStatement()) {
			if (this.table.database() == TestDatabase.POSTGRESQL) {
				connection.setAutoCommit(false);
				statement.execute("LOCK TABLE " + this.table.name() + " IN ACCESS EXCLUSIVE MODE");
			}
			else {
				statement.execute("LOCK TABLES " + this.table.name() + " WRITE");
			}
		}
		return connection;
	}

	private void unlock(Connection lock) throws SQLException {
		try (lock; Statement statement = lock.createStatement()) {
			if (this.table.database() == TestDatabase.POSTGRESQL) {
				lock.commit();
			}
			else {
				statement.execute("UNLOCK TABLES");
			}
		}
	}

	/** Sessions whose data names them, last used at {@link #T0}. */
	private List<String> created(int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String id = id(this.sessions++);
			this.store.create(id, ("data of " + id).getBytes(StandardCharsets.UTF_8), T0);
			ids.add(id);
		}
		return ids;
	}

	private static String id(int number) {
		return String.format("%04d", number) + "0".repeat(60);
	}

	private static String data(@Nullable StoredSession session) {
		assertThat(session).isNotNull();
		return new String(session.data(), StandardCharsets.UTF_8);
	}

}
