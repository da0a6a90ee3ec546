package io.github.webpysession.store.jdbc;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.github.webpysession.store.SessionLocks.Lease;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JdbcSessionLocks} on one database, as {@code session.lock} uses them: every test
 * locks sessions of its own, on a table name of this class's own (the locks need no
 * table).
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class JdbcSessionLocksTests {

	static final Duration SHORT = Duration.ofMillis(300);

	static final Duration LONG = Duration.ofSeconds(10);

	final TestDatabase database;

	private TestTable fixture;

	String table;

	HikariDataSource dataSource;

	JdbcSessionLocks locks;

	JdbcSessionLocksTests(TestDatabase database) {
		this.database = database;
	}

	@BeforeAll
	void createLocks() {
		this.fixture = TestTable.named(this.database);
		this.table = this.fixture.name();
		this.dataSource = this.fixture.dataSource();
		this.locks = locks(this.dataSource);
	}

	@AfterAll
	void closePool() {
		if (this.fixture != null) {
			this.fixture.close();
		}
	}

	/**
	 * Locks on this class's table, as an instance of an application with
	 * {@code dataSource} has.
	 */
	JdbcSessionLocks locks(HikariDataSource dataSource) {
		return new JdbcSessionLocks(new JdbcSessionStore(dataSource, this.table));
	}

	static String newId() {
		return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
	}

	@Test
	void aHeldLockIsNotGrantedAgainBeforeTheWaitEnds() {
		String id = newId();
		try (Lease lease = this.locks.tryAcquire(id, SHORT)) {
			assertThat(lease).isNotNull();
			long start = System.nanoTime();
			assertThat(this.locks.tryAcquire(id, SHORT)).isNull();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(SHORT);
		}
	}

	@Test
	void aWaitingRequestGetsTheLockOnceTheFirstLeaseIsClosed() throws Exception {
		String id = newId();
		Lease first = this.locks.tryAcquire(id, SHORT);
		CompletableFuture<Lease> second = CompletableFuture.supplyAsync(() -> this.locks.tryAcquire(id, LONG));
		Thread.sleep(SHORT.toMillis());
		assertThat(second).isNotDone();
		first.close();
		try (Lease lease = second.get(LONG.toSeconds(), TimeUnit.SECONDS)) {
			assertThat(lease).isNotNull();
		}
	}

	@Test
	void locksOfDifferentSessionsAreIndependent() {
		try (Lease a = this.locks.tryAcquire(newId(), SHORT); Lease b = this.locks.tryAcquire(newId(), Duration.ZERO)) {
			assertThat(a).isNotNull();
			assertThat(b).isNotNull();
		}
	}

	@Test
	void aLeaseClosedTwiceReleasesOnce() {
		String id = newId();
		Lease first = this.locks.tryAcquire(id, SHORT);
		first.close();
		try (Lease second = this.locks.tryAcquire(id, SHORT)) {
			first.close();
			assertThat(second).isNotNull();
			assertThat(this.locks.tryAcquire(id, Duration.ZERO)).isNull();
		}
	}

	@Test
	void aLeaseMayBeClosedByAnotherThread() throws Exception {
		String id = newId();
		Lease lease = this.locks.tryAcquire(id, SHORT);
		CompletableFuture.runAsync(lease::close).get(LONG.toSeconds(), TimeUnit.SECONDS);
		try (Lease again = this.locks.tryAcquire(id, Duration.ZERO)) {
			assertThat(again).isNotNull();
		}
	}

	@Test
	void anInterruptedWaitGivesNoLeaseAndKeepsTheInterrupt() {
		String id = newId();
		try (Lease lease = this.locks.tryAcquire(id, SHORT)) {
			Thread.currentThread().interrupt();
			assertThat(this.locks.tryAcquire(id, LONG)).isNull();
			assertThat(Thread.interrupted()).isTrue();
		}
	}

}
