package io.github.webpysession.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import org.h2.api.Trigger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The updates that requests save at the same time, run together on each database
 * ({@link JdbcUpdates}, {@link JdbcBatches}): that the driver tells each statement's rows
 * apart, that a batch is one transaction, that a failed one costs only its failing update
 * and one whose connection broke none, and that no acknowledged update is lost under
 * contention. A batch is made to form by holding the first update on a row that a
 * transaction of the test has locked.
 */
@Timeout(60)
class JdbcUpdateBatchesStoreTests extends ConcurrentRequestsOnATestTable {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	/** The data the tables' trigger rejects, Base64-encoded as the column keeps it. */
	private static final String POISON = "poison";

	private static final int REQUESTS = 16;

	private static final int INCREMENTS_EACH = 50;

	/** How many sessions {@link #created} made: the next one's number, in its id. */
	private int sessions;

	@AfterEach
	void dropTrigger() {
		if (this.table != null && this.table.database() == TestDatabase.POSTGRESQL) {
			this.table.jdbc().execute("DROP FUNCTION IF EXISTS " + this.table.name() + "_reject() CASCADE");
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void updatesSavedWhileAnotherRunsRunTogetherInOneTransaction(TestDatabase database) throws Exception {
		open(database);
		List<String> ids = created(6);
		List<Future<Boolean>> batched = whileTheFirstWaitsForALock(ids.get(0), ids.subList(1, ids.size()),
				(id) -> "saved " + id);
		for (Future<Boolean> update : batched) {
			assertThat(update.get(10, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(this.counting.statements()).containsOnlyOnce("setAutoCommit(false)")
			.containsOnlyOnce("commit")
			.doesNotContain("rollback");
		for (String id : ids) {
			assertThat(data(id)).isEqualTo("saved " + id);
			assertThat(this.store.load(id).version()).isEqualTo(1);
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void eachUpdateOfABatchIsAnsweredWhetherItsOwnVersionMatched(TestDatabase database) throws Exception {
		open(database);
		List<String> ids = created(4);
		this.store.update(ids.get(2), bytes("moved on"), T0, 0);
		List<Future<Boolean>> batched = whileTheFirstWaitsForALock(ids.get(0), ids.subList(1, ids.size()),
				(id) -> "saved " + id);
		assertThat(batched.get(0).get()).isTrue();
		assertThat(batched.get(1).get()).isFalse();
		assertThat(batched.get(2).get()).isTrue();
		assertThat(data(ids.get(2))).isEqualTo("moved on");
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = "MARIADB")
	void aDriverThatDoesNotCountEachStatementsRowsStillAnswersEachUpdateAndEndsTheBatches(TestDatabase database)
			throws Exception {
		this.table = TestTable.migrated(database);
		openOn(database.dataSource(database.url() + "?useBulkStmts=true"));
		List<String> ids = created(4);
		this.store.update(ids.get(2), bytes("moved on"), T0, 0);
		List<Future<Boolean>> batched = whileTheFirstWaitsForALock(ids.get(0), ids.subList(1, ids.size()),
				(id) -> "saved " + id);
		assertThat(batched.get(0).get()).isTrue();
		assertThat(batched.get(1).get()).isFalse();
		assertThat(batched.get(2).get()).isTrue();
		assertThat(this.counting.statements()).containsOnlyOnce("rollback");
		this.counting.clear();
		incrementConcurrently(created(20));
		assertThat(this.counting.statements()).doesNotContain("setAutoCommit(false)");
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void anUpdateThatFailsInABatchFailsItsOwnRequestOnly(TestDatabase database) throws Exception {
		open(database);
		List<String> ids = created(5);
		rejectUpdatesTo(POISON);
		String poisoned = ids.get(2);
		List<Future<Boolean>> batched = whileTheFirstWaitsForALock(ids.get(0), ids.subList(1, ids.size()),
				(id) -> id.equals(poisoned) ? POISON : "saved " + id);
		for (int i = 0; i < batched.size(); i++) {
			if (ids.get(i + 1).equals(poisoned)) {
				assertThatExceptionOfType(ExecutionException.class).isThrownBy(batched.get(i)::get)
					.havingCause()
					.isInstanceOf(SessionStoreException.class)
					.withMessageContaining("cannot update a session");
			}
			else {
				assertThat(batched.get(i).get()).isTrue();
			}
		}
		assertThat(this.counting.statements()).contains("rollback");
		assertThat(data(poisoned)).isEqualTo("0");
		for (String id : ids) {
			if (!id.equals(poisoned)) {
				assertThat(data(id)).isEqualTo("saved " + id);
			}
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.class, names = { "POSTGRESQL", "MARIADB" })
	void aBatchWhoseConnectionBreaksRunsEachUpdateAgainAloneAndAppliesEachOnce(TestDatabase database)
			throws Exception {
		open(database);
		List<String> ids = created(5);
		try (Connection blocker = locking(ids.get(2))) {
			List<Future<Boolean>> batched = whileTheFirstWaitsForALock(ids.get(0), ids.subList(1, ids.size()),
					(id) -> "saved " + id);
			killTheConnectionWaitingIn("UPDATE " + this.table.name() + " %");
			blocker.commit();
			for (Future<Boolean> update : batched) {
				assertThat(update.get(10, TimeUnit.SECONDS)).isTrue();
			}
		}
		assertThat(this.counting.statements()).contains("setAutoCommit(false)");
		for (String id : ids) {
			assertThat(data(id)).isEqualTo("saved " + id);
			assertThat(this.store.load(id).version()).isEqualTo(1);
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void sixteenRequestsIncrementingTwentySessionsLoseNoAcknowledgedIncrement(TestDatabase database) throws Exception {
		open(database);
		List<String> ids = created(20);
		incrementConcurrently(ids);
		long total = 0;
		long versions = 0;
		for (String id : ids) {
			StoredSession session = this.store.load(id);
			total += Long.parseLong(new String(session.data(), StandardCharsets.UTF_8));
			versions += session.version();
		}
		assertThat(total).isEqualTo(REQUESTS * INCREMENTS_EACH);
		assertThat(versions).isEqualTo(REQUESTS * INCREMENTS_EACH);
		assertThat(this.counting.statements()).as("some increments ran together").contains("commit");
		assertThat(this.counting.statements()).as("the driver counted each statement's rows")
			.doesNotContain("rollback");
	}

	/**
	 * {@value #REQUESTS} requests at once, each incrementing {@value #INCREMENTS_EACH}
	 * sessions of {@code ids} picked at random.
	 */
	private void incrementConcurrently(List<String> ids) throws Exception {
		List<Future<?>> done = new ArrayList<>();
		for (int r = 0; r < REQUESTS; r++) {
			done.add(this.requests.submit(() -> {
				for (int i = 0; i < INCREMENTS_EACH; i++) {
					increment(ids.get(ThreadLocalRandom.current().nextInt(ids.size())));
				}
				return null;
			}));
		}
		for (Future<?> request : done) {
			request.get();
		}
	}

	/**
	 * Adds one to the number a session keeps, loading it again until its update applies.
	 */
	private void increment(String id) {
		while (true) {
			StoredSession current = this.store.load(id);
			long value = Long.parseLong(new String(current.data(), StandardCharsets.UTF_8));
			if (this.store.update(id, bytes(String.valueOf(value + 1)), T0, current.version())) {
				return;
			}
		}
	}

	/**
	 * Saves {@code first} while a transaction of the test holds its row, so that its
	 * update runs and waits; saves each of {@code others} with {@code data} once it does,
	 * and lets the first go once they all wait for it. Answers the others' futures, with
	 * the counting of statements begun as the first was let go.
	 */
	private List<Future<Boolean>> whileTheFirstWaitsForALock(String first, List<String> others,
			Function<String, String> data) throws Exception {
		try (Connection blocker = locking(first)) {
			this.counting.clear();
			Future<Boolean> held = this.requests.submit(() -> this.store.update(first, bytes("saved " + first), T0, 0));
			while (this.counting.statements().stream().noneMatch((sql) -> sql.startsWith("UPDATE"))) {
				Thread.onSpinWait();
			}
			List<Future<Boolean>> batched = new ArrayList<>();
			for (String id : others) {
				batched.add(this.requests.submit(() -> this.store.update(id, bytes(data.apply(id)), T0, 0)));
			}
			ParkedInBatches.awaitCount(others.size());
			this.counting.clear();
			blocker.commit();
			assertThat(held.get(10, TimeUnit.SECONDS)).isTrue();
			return batched;
		}
	}

	/**
	 * A connection of the test's own whose open transaction holds session {@code id}'s
	 * row, until it commits.
	 */
	private Connection locking(String id) throws SQLException {
		Connection connection = this.table.dataSource().getConnection();
		connection.setAutoCommit(false);
		try (Statement statement = connection.createStatement()) {
			statement.executeUpdate("UPDATE " + this.table.name() + " SET atime = atime WHERE session_id = '" + id + "'");
		}
		return connection;
	}

	/** Makes the database reject every update whose data is {@code data}. */
	private void rejectUpdatesTo(String data) throws SQLException {
		String table = this.table.name();
		String encoded = Base64.getEncoder().encodeToString(bytes(data));
		String trigger = switch (this.table.database()) {
			case POSTGRESQL -> {
				this.table.jdbc()
					.execute("CREATE FUNCTION " + table + "_reject() RETURNS trigger AS $$ BEGIN IF NEW.data = '"
							+ encoded + "' THEN RAISE EXCEPTION 'rejected'; END IF; RETURN NEW; END $$"
							+ " LANGUAGE plpgsql");
				yield "CREATE TRIGGER " + table + "_reject BEFORE UPDATE ON " + table
						+ " FOR EACH ROW EXECUTE FUNCTION " + table + "_reject()";
			}
			case MARIADB ->
				"CREATE TRIGGER " + table + "_reject BEFORE UPDATE ON " + table + " FOR EACH ROW BEGIN IF NEW.data = '"
						+ encoded + "' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'rejected'; END IF; END";
			case H2 -> {
				RejectUpdates.data = encoded;
				yield "CREATE TRIGGER " + table + "_reject BEFORE UPDATE ON " + table + " FOR EACH ROW CALL '"
						+ RejectUpdates.class.getName() + "'";
			}
		};
		this.table.jdbc().execute(trigger);
	}

	/** Sessions at version 0 whose data is "0". */
	private List<String> created(int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String id = String.format("%03d", this.sessions++) + "0".repeat(61);
			this.store.create(id, bytes("0"), T0);
			ids.add(id);
		}
		return ids;
	}

	private String data(String id) {
		return new String(this.store.load(id).data(), StandardCharsets.UTF_8);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** H2's trigger that rejects every update whose data is {@link #data}. */
	public static class RejectUpdates implements Trigger {

		static volatile String data = "";

		@Override
		public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
			for (Object column : newRow) {
				if (data.equals(column)) {
					throw new SQLException("rejected");
				}
			}
		}

	}

}
