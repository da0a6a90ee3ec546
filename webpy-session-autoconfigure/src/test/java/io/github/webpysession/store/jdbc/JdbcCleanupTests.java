package io.github.webpysession.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.github.webpysession.store.StoredSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The JDBC store's cleanup on a database server that several instances share: bounded
 * batches that leave live sessions usable, and one cleaning instance at a time.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class JdbcCleanupTests {

	static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	static final Instant CUTOFF = NOW.minus(Duration.ofHours(24));

	private final TestDatabase database;

	private TestTable fixture;

	String table;

	JdbcTemplate jdbc;

	JdbcCleanupTests(TestDatabase database) {
		this.database = database;
	}

	@BeforeAll
	void createTable() {
		this.fixture = TestTable.migrated(this.database);
		this.table = this.fixture.name();
		this.jdbc = this.fixture.jdbc();
	}

	@AfterAll
	void dropTable() {
		if (this.fixture != null) {
			this.fixture.close();
		}
	}

	@BeforeEach
	void emptyTable() {
		this.fixture.empty();
	}

	/**
	 * Inserts {@code count} sessions last accessed at {@code atime}, in one statement.
	 */
	abstract void insertSessions(int count, LocalDateTime atime);

	/**
	 * Makes {@code connection}'s open transaction hold a lock that the cleanup's deletes
	 * wait for.
	 */
	abstract void blockDeletes(Connection connection) throws SQLException;

	/** How many deletes of the table are waiting for a lock. */
	abstract int waitingDeletes();

	@Test
	void expiredRowsGoInBatchesWhileLiveSessionsKeepBeingUsed() throws Exception {
		insertSessions(100_000, LocalDateTime.ofInstant(CUTOFF.minusSeconds(60), ZoneOffset.UTC));
		JdbcSessionStore store = this.fixture.store();
		List<String> live = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			String id = newId();
			store.create(id, new byte[] { 0 }, NOW);
			live.add(id);
		}
		AtomicBoolean cleaning = new AtomicBoolean(true);
		AtomicInteger uses = new AtomicInteger();
		Set<Long> expiredCountsSeen = ConcurrentHashMap.newKeySet();
		CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
			while (cleaning.get()) {
				for (String id : live) {
					StoredSession session = store.load(id);
					byte[] data = { (byte) (session.data()[0] + 1) };
					assertThat(store.update(id, data, NOW, session.version())).isTrue();
					store.touch(id, NOW.plusSeconds(1));
					uses.incrementAndGet();
				}
				expiredCountsSeen.add(expiredRows());
			}
		});

		int removed;
		try {
			removed = store.deleteAccessedBefore(CUTOFF);
		}
		finally {
			cleaning.set(false);
		}
		load.get(30, TimeUnit.SECONDS);

		assertThat(removed).isEqualTo(100_000);
		assertThat(expiredRows()).isZero();
		assertThat(uses.get()).isPositive();
		assertThat(expiredCountsSeen).as("counts of expired rows seen while cleaning")
			.anyMatch((count) -> count > 0 && count < 100_000);
		for (String id : live) {
			StoredSession session = store.load(id);
			assertThat(session).isNotNull();
			assertThat(session.version()).isEqualTo(uses.get() / live.size());
		}
	}

	@Test
	void aSecondInstanceSkipsTheCleanupWhileAnotherIsCleaning() throws Exception {
		insertSessions(10, LocalDateTime.ofInstant(CUTOFF.minusSeconds(60), ZoneOffset.UTC));
		try (HikariDataSource first = this.database.dataSource();
				HikariDataSource second = this.database.dataSource();
				Connection blocker = this.fixture.dataSource().getConnection()) {
			blocker.setAutoCommit(false);
			blockDeletes(blocker);
			CompletableFuture<Integer> firstCleanup = CompletableFuture
				.supplyAsync(() -> new JdbcSessionStore(first, this.table).deleteAccessedBefore(CUTOFF));
			await().atMost(Duration.ofSeconds(10)).until(() -> waitingDeletes() == 1);

			int secondRemoved = assertTimeoutPreemptively(Duration.ofSeconds(5),
					() -> new JdbcSessionStore(second, this.table).deleteAccessedBefore(CUTOFF));

			blocker.rollback();
			assertThat(secondRemoved).isZero();
			assertThat(firstCleanup.get(10, TimeUnit.SECONDS)).isEqualTo(10);
		}
	}

	@Test
	void theCleanupLockIsFreedAfterEachRunForTheNextInstance() {
		LocalDateTime expired = LocalDateTime.ofInstant(CUTOFF.minusSeconds(60), ZoneOffset.UTC);
		try (HikariDataSource first = this.database.dataSource();
				HikariDataSource second = this.database.dataSource()) {
			insertSessions(5, expired);
			assertThat(new JdbcSessionStore(first, this.table).deleteAccessedBefore(CUTOFF)).isEqualTo(5);
			insertSessions(5, expired);
			assertThat(new JdbcSessionStore(second, this.table).deleteAccessedBefore(CUTOFF)).isEqualTo(5);
		}
	}

	private long expiredRows() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM " + this.table + " WHERE atime < ?", Long.class,
				LocalDateTime.ofInstant(CUTOFF, ZoneOffset.UTC));
	}

	private static String newId() {
		return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
	}

}
