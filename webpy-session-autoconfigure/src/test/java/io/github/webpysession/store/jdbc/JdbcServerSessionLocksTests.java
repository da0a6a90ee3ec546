package io.github.webpysession.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.zaxxer.hikari.HikariDataSource;
import io.github.webpysession.store.SessionLocks.Lease;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.testsupport.TcpProxy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * {@link JdbcSessionLocks} on a database server that several instances of an application
 * share: the locks are the database's, each held by one pooled connection.
 */
abstract class JdbcServerSessionLocksTests extends JdbcSessionLocksTests {

	private final int serverPort;

	JdbcServerSessionLocksTests(TestDatabase database, int serverPort) {
		super(database);
		this.serverPort = serverPort;
	}

	@Test
	void twoInstancesWithPoolsOfTheirOwnExcludeEachOther() {
		String id = newId();
		try (HikariDataSource otherPool = this.database.dataSource()) {
			JdbcSessionLocks other = locks(otherPool);
			Lease lease = this.locks.tryAcquire(id, SHORT);
			assertThat(other.tryAcquire(id, SHORT)).isNull();
			lease.close();
			try (Lease otherLease = other.tryAcquire(id, SHORT)) {
				assertThat(otherLease).isNotNull();
				assertThat(this.locks.tryAcquire(id, Duration.ZERO)).isNull();
			}
		}
	}

	@Test
	void theSameIdOnAnotherTableIsAnotherLock() {
		String id = newId();
		JdbcSessionLocks otherTable = new JdbcSessionLocks(
				new JdbcSessionStore(this.dataSource, TestDatabase.newTableName()));
		try (Lease lease = this.locks.tryAcquire(id, SHORT); Lease other = otherTable.tryAcquire(id, Duration.ZERO)) {
			assertThat(lease).isNotNull();
			assertThat(other).isNotNull();
		}
	}

	@Test
	void aHeldLockKeepsOneConnectionUntilItsLeaseIsClosed() {
		Lease lease = this.locks.tryAcquire(newId(), SHORT);
		assertThat(this.dataSource.getHikariPoolMXBean().getActiveConnections()).isOne();
		lease.close();
		assertThat(this.dataSource.getHikariPoolMXBean().getActiveConnections()).isZero();
	}

	@Test
	void requestsWaitingForALockKeepNoConnectionSoItsHolderCanStillBorrowOne() throws Exception {
		String id = newId();
		// five waiting at once, on threads of their own (the common pool has one thread
		// on
		// two cores)
		ExecutorService threads = Executors.newFixedThreadPool(5);
		try (HikariDataSource pool = this.database.dataSource()) {
			// a waiter that kept its connection would make the borrows below wait past
			// the
			// pool's timeout, which ends well before the waits: both long enough that a
			// loaded machine's 20 borrows end before the waiters give up
			pool.setMaximumPoolSize(2);
			pool.setConnectionTimeout(3000);
			JdbcSessionLocks locks = locks(pool);
			try (Lease held = locks.tryAcquire(id, SHORT)) {
				List<CompletableFuture<Lease>> waiters = IntStream.range(0, 5)
					.mapToObj((i) -> CompletableFuture.supplyAsync(() -> locks.tryAcquire(id, Duration.ofSeconds(6)),
							threads))
					.toList();
				for (int i = 0; i < 20; i++) {
					try (Connection connection = pool.getConnection()) {
						assertThat(connection.isValid(1)).isTrue();
					}
				}
				assertThat(waiters).noneMatch(CompletableFuture::isDone);
				for (CompletableFuture<Lease> waiter : waiters) {
					assertThat(waiter.get(10, TimeUnit.SECONDS)).isNull();
				}
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void requestsHoldingAsManyLocksAsThePoolHasConnectionsStillReadAndWriteTheirSessions() {
		try (TestTable table = TestTable.migrated(this.database)) {
			HikariDataSource pool = table.dataSource();
			pool.setMaximumPoolSize(2);
			pool.setConnectionTimeout(1000);
			JdbcSessionStore store = table.store();
			JdbcSessionLocks locks = new JdbcSessionLocks(store);
			String first = newId();
			String second = newId();
			store.create(first, new byte[] { 1 }, Instant.EPOCH);
			store.create(second, new byte[] { 2 }, Instant.EPOCH);
			try (Lease one = locks.tryAcquire(first, SHORT); Lease two = locks.tryAcquire(second, SHORT)) {
				assertThat(store.update(first, new byte[] { 10 }, Instant.EPOCH, 0)).isTrue();
				assertThat(store.load(second).data()).containsExactly(2);
				store.touch(second, Instant.EPOCH.plusSeconds(1));
			}
			assertThat(store.load(first).data()).containsExactly(10);
		}
	}

	@Test
	void aLeaseWhoseConnectionBrokeClosesQuietlyAndTheDatabaseDropsItsLock() {
		String id = newId();
		try (TcpProxy proxy = new TcpProxy(this.serverPort); HikariDataSource proxied = proxiedPool(proxy)) {
			Lease lease = locks(proxied).tryAcquire(id, SHORT);
			assertThat(lease).isNotNull();
			proxy.stop();
			assertThatNoException().isThrownBy(lease::close);
			try (Lease again = this.locks.tryAcquire(id, LONG)) {
				assertThat(again).isNotNull();
			}
		}
	}

	@Test
	void locksThatCannotReachTheDatabaseThrowAStoreExceptionNamingTheStoreAndTheCause() {
		try (TcpProxy proxy = new TcpProxy(this.serverPort); HikariDataSource proxied = proxiedPool(proxy)) {
			JdbcSessionLocks locks = locks(proxied);
			locks.tryAcquire(newId(), SHORT).close();
			proxy.stop();
			assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> locks.tryAcquire(newId(), SHORT))
				.withMessageStartingWith("JDBC session store, table " + this.table + " on ")
				.withMessageContaining(": cannot lock a session: ")
				.withCauseInstanceOf(SQLException.class);
		}
	}

	/**
	 * A pool on this database through {@code proxy}, quick to give up on a connection.
	 */
	private HikariDataSource proxiedPool(TcpProxy proxy) {
		HikariDataSource pool = this.database
			.dataSource(this.database.url().replace(":" + this.serverPort + "/", ":" + proxy.port() + "/"));
		pool.setConnectionTimeout(500);
		return pool;
	}

}
