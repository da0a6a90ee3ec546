package io.github.webpysession.store.redis;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.webpysession.store.SessionLocks.Lease;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.testsupport.RedisDatabase;
import io.github.webpysession.testsupport.Services;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link RedisSessionLocks} on the local Redis: two instances' locks (two stores on one
 * prefix) exclude each other, a lock is released only by its owner, and the lock of an
 * instance that died frees itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisSessionLocksTests {

	private static final Duration SHORT = Duration.ofMillis(300);

	private static final Duration LONG = Duration.ofSeconds(10);

	private RedisDatabase redis;

	private RedisSessionLocks locks;

	private RedisSessionLocks otherInstance;

	@BeforeAll
	void connect() {
		Services.redis();
		this.redis = new RedisDatabase();
		this.locks = locks(this.redis.factory());
		this.otherInstance = locks(this.redis.factory());
	}

	@AfterAll
	void disconnect() {
		if (this.redis != null) {
			this.locks.close();
			this.otherInstance.close();
			this.redis.close();
		}
	}

	private RedisSessionLocks locks(LettuceConnectionFactory factory) {
		return new RedisSessionLocks(new RedisSessionStore(factory,
				new RedisSessionStore.Settings(this.redis.prefix(), Duration.ofHours(1))));
	}

	private static String newId() {
		return UUID.randomUUID().toString();
	}

	@Test
	void aHeldLockIsNotGivenToAnotherInstance() {
		String id = newId();
		try (Lease lease = this.locks.tryAcquire(id, SHORT)) {
			assertThat(lease).isNotNull();
			assertThat(this.otherInstance.tryAcquire(id, SHORT)).isNull();
		}
	}

	@Test
	void aWaiterGetsTheLockOnceItIsReleased() throws Exception {
		String id = newId();
		Lease lease = this.locks.tryAcquire(id, SHORT);
		CompletableFuture<Lease> waiter = CompletableFuture.supplyAsync(() -> this.otherInstance.tryAcquire(id, LONG));
		Thread.sleep(100);
		assertThat(waiter).isNotDone();
		lease.close();
		try (Lease next = waiter.get(5, TimeUnit.SECONDS)) {
			assertThat(next).isNotNull();
		}
	}

	@Test
	void locksOfOtherSessionsDoNotWait() {
		try (Lease one = this.locks.tryAcquire(newId(), SHORT);
				Lease two = this.otherInstance.tryAcquire(newId(), SHORT)) {
			assertThat(one).isNotNull();
			assertThat(two).isNotNull();
		}
	}

	@Test
	void aLeaseWhoseLockExpiredAndWasTakenDoesNotReleaseTheNewOwners() {
		String id = newId();
		Lease stale = this.locks.tryAcquire(id, SHORT);
		byte[] key = RedisKeys.bytes(this.redis.prefix() + "{" + id + "}:lock");
		try (RedisConnection connection = this.redis.factory().getConnection()) {
			connection.keyCommands().del(key);
			try (Lease owner = this.otherInstance.tryAcquire(id, SHORT)) {
				assertThat(owner).isNotNull();
				stale.close();
				assertThat(connection.keyCommands().exists(key)).as("the new owner's lock").isTrue();
			}
			assertThat(connection.keyCommands().exists(key)).isFalse();
		}
	}

	@Test
	void theLockOfAnInstanceThatDiedFreesItselfAtItsExpiry() {
		String id = newId();
		byte[] key = RedisKeys.bytes(this.redis.prefix() + "{" + id + "}:lock");
		try (RedisConnection connection = this.redis.factory().getConnection()) {
			connection.stringCommands().set(key, RedisKeys.bytes("dead-instance"));
			// long enough that the first try surely finds it held, even on a loaded
			// machine
			connection.keyCommands().pExpire(key, 2000);
		}
		assertThat(this.locks.tryAcquire(id, Duration.ZERO)).isNull();
		try (Lease lease = this.locks.tryAcquire(id, LONG)) {
			assertThat(lease).isNotNull();
		}
	}

	@Test
	void everyLockExpiresByItself() {
		String id = newId();
		try (Lease lease = this.locks.tryAcquire(id, SHORT);
				RedisConnection connection = this.redis.factory().getConnection()) {
			assertThat(connection.keyCommands().pTtl(RedisKeys.bytes(this.redis.prefix() + "{" + id + "}:lock")))
				.isBetween(1L, RedisSessionLocks.LEASE_MILLIS);
		}
	}

	@Test
	void aRedisThatIsDownFailsTheLockAsAStoreFailure() {
		LettuceConnectionFactory down = RedisDatabase.factory(1);
		try (RedisSessionLocks locks = locks(down)) {
			assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> locks.tryAcquire(newId(), SHORT));
		}
		finally {
			down.destroy();
		}
	}

	@Test
	void aScriptRedisDoesNotKnowIsSentWholeOnce() {
		RedisScripts.Script unknown = new RedisScripts.Script("return 7 -- " + UUID.randomUUID());
		try (RedisConnection connection = this.redis.factory().getConnection()) {
			Long first = unknown.run(connection, org.springframework.data.redis.connection.ReturnType.INTEGER,
					RedisKeys.bytes(this.redis.prefix() + "{x}"));
			assertThat(first).isEqualTo(7);
			assertThat(connection.scriptingCommands().scriptExists(unknown.sha())).containsExactly(true);
		}
	}

}
