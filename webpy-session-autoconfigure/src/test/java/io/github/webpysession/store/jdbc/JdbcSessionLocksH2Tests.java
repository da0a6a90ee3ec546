package io.github.webpysession.store.jdbc;

import java.time.Duration;

import io.github.webpysession.store.SessionLocks.Lease;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** On an embedded H2, which only one JVM uses, the locks are this JVM's. */
class JdbcSessionLocksH2Tests extends JdbcSessionLocksTests {

	JdbcSessionLocksH2Tests() {
		super(TestDatabase.H2);
	}

	@Test
	void aHeldLockKeepsNoConnection() {
		try (Lease lease = this.locks.tryAcquire(newId(), Duration.ZERO)) {
			assertThat(lease).isNotNull();
			assertThat(this.dataSource.getHikariPoolMXBean().getActiveConnections()).isZero();
		}
	}

}
