package io.github.webpysession.store.redis;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.github.webpysession.store.PrincipalIndexContractTests;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.testsupport.RedisDatabase;
import io.github.webpysession.testsupport.Services;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.data.redis.connection.RedisConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract and the principal index on the local Redis, and what is Redis's own:
 * expiry by Redis, keys under the prefix named by the id's digest, the index pruned of
 * sessions Redis expired.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisSessionStoreTests extends PrincipalIndexContractTests {

	private static final Duration TIMEOUT = Duration.ofHours(24);

	private RedisDatabase redis;

	@BeforeAll
	void connect() {
		Services.redis();
		this.redis = new RedisDatabase();
	}

	@AfterAll
	void disconnect() {
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Override
	protected SessionStore createStore() {
		return store(TIMEOUT);
	}

	private RedisSessionStore store(Duration timeout) {
		return store(timeout, maxLifetime());
	}

	private RedisSessionStore store(Duration timeout, @Nullable Duration maxLifetime) {
		return new RedisSessionStore(this.redis.factory(),
				new RedisSessionStore.Settings(this.redis.prefix(), timeout, maxLifetime));
	}

	/** The {@code session.max-lifetime} of the stores of the tests: none. */
	protected @Nullable Duration maxLifetime() {
		return null;
	}

	/** Every test starts on an empty store. */
	@Override
	protected void closeStore(SessionStore store) {
		this.redis.flush();
	}

	@Override
	protected SessionStore reopenStore(SessionStore store) {
		return createStore();
	}

	/**
	 * What Redis's own expiry does, by the test's clock: the keys of the sessions last
	 * accessed before {@code cutoff} vanish, and nothing else; then the cleanup runs.
	 */
	@Override
	protected int expireAccessedBefore(Instant cutoff) {
		int expired = this.redis.expireAccessedBefore(cutoff);
		assertThat(this.store.deleteAccessedBefore(cutoff)).as("sessions the cleanup removes").isZero();
		return expired;
	}

	@Test
	void aSessionIsOneKeyUnderThePrefixNamedByItsIdInAHashTag() {
		String id = newId();
		this.store.create(id, bytes("data"), T0);
		assertThat(this.redis.keys()).contains(this.redis.prefix() + "{" + id + "}");
	}

	@Test
	void everyWriteSetsTheKeyToExpireAfterTheIdleTimeout() {
		String id = newId();
		this.store.create(id, bytes("data"), T0);
		assertThat(ttl(id)).isBetween(TIMEOUT.minusSeconds(5), TIMEOUT);
		this.store.update(id, bytes("more"), T0, 0);
		assertThat(ttl(id)).isBetween(TIMEOUT.minusSeconds(5), TIMEOUT);
	}

	@Test
	void redisRemovesASessionOnceItsIdleTimeoutHasPassed() throws Exception {
		RedisSessionStore store = store(Duration.ofMillis(200));
		String id = newId();
		store.create(id, bytes("data"), Instant.now());
		Thread.sleep(400);
		assertThat(store.load(id)).isNull();
	}

	@Test
	void aTouchExtendsTheExpiryAndTheLastAccess() throws Exception {
		// 2.4 s in all, past the 2 s expiry without the touch; each sleep leaves 0.8 s
		// for a loaded machine's delays
		RedisSessionStore store = store(Duration.ofSeconds(2));
		String id = newId();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		store.create(id, bytes("data"), now);
		Thread.sleep(1200);
		store.touch(id, now.plusMillis(1200));
		Thread.sleep(1200);
		StoredSession loaded = store.load(id);
		assertThat(loaded).isNotNull();
		assertThat(loaded.lastAccessed()).isEqualTo(now.plusMillis(1200));
	}

	@Test
	void aLoadForUseRecordsADueUseInTheSameCommand() {
		String id = newId();
		this.store.create(id, bytes("data"), T0);
		RedisSessionStore other = store(TIMEOUT);
		Instant later = T0.plus(Duration.ofHours(7));

		StoredSession loaded = other.loadForUse(id, later, TIMEOUT.dividedBy(4), TIMEOUT);

		assertThat(loaded.lastAccessed()).as("answered as it was").isEqualTo(T0);
		assertThat(this.store.load(id).lastAccessed()).isEqualTo(later);
		assertThat(loaded.version()).isZero();
	}

	@Test
	void aLoadForUseNeverRevivesAnExpiredSession() {
		String id = newId();
		this.store.create(id, bytes("data"), T0);
		Instant expired = T0.plus(TIMEOUT).plusSeconds(1);

		store(TIMEOUT).loadForUse(id, expired, TIMEOUT.dividedBy(4), TIMEOUT);

		assertThat(this.store.load(id).lastAccessed()).isEqualTo(T0);
	}

	@Test
	void aLoadForUseBeforeTheTouchIsDueLeavesTheLastAccess() {
		String id = newId();
		this.store.create(id, bytes("data"), T0);
		store(TIMEOUT).loadForUse(id, T0.plusSeconds(60), TIMEOUT.dividedBy(4), TIMEOUT);
		assertThat(this.store.load(id).lastAccessed()).isEqualTo(T0);
	}

	@Test
	void aMaxLifetimeShorterThanTheTimeoutIsTheExpiryOfANewSession() {
		RedisSessionStore store = store(TIMEOUT, Duration.ofHours(1));
		String id = newId();
		store.create(id, bytes("data"), T0);
		assertThat(ttl(id)).isBetween(Duration.ofHours(1).minusSeconds(5), Duration.ofHours(1));
	}

	@Test
	void noWriteNorTouchSetsTheExpiryPastTheMaxLifetime() throws Exception {
		Duration maxLifetime = Duration.ofSeconds(10);
		RedisSessionStore store = store(TIMEOUT, maxLifetime);
		String id = newId();
		store.create(id, bytes("data"), T0);
		Thread.sleep(500);
		Duration left = maxLifetime.minusMillis(500);

		store.update(id, bytes("more"), T0.plusSeconds(1), 0);
		assertThat(ttl(id)).as("after an update").isPositive().isLessThanOrEqualTo(left);
		store(TIMEOUT, maxLifetime).touch(id, T0.plusSeconds(2));
		assertThat(ttl(id)).as("after a touch").isPositive().isLessThanOrEqualTo(left);
		store(TIMEOUT, maxLifetime).loadForUse(id, T0.plus(Duration.ofHours(7)), TIMEOUT.dividedBy(4), TIMEOUT);
		assertThat(store.load(id).lastAccessed()).as("touched by the load").isEqualTo(T0.plus(Duration.ofHours(7)));
		assertThat(ttl(id)).as("after a load that touched").isPositive().isLessThanOrEqualTo(left);
	}

	@Test
	void redisRemovesASessionAtItsMaxLifetimeHoweverActive() throws Exception {
		RedisSessionStore store = store(TIMEOUT, Duration.ofMillis(600));
		String id = newId();
		Instant now = Instant.now();
		store.create(id, bytes("data"), now);
		Thread.sleep(300);
		store.touch(id, now.plusMillis(300));
		store.update(id, bytes("more"), now.plusMillis(300), 0);
		Thread.sleep(500);
		assertThat(store.load(id)).isNull();
	}

	@Test
	void aDeleteRemovesEveryKeyOfASessionWithAMaxLifetime() {
		RedisSessionStore store = store(TIMEOUT, Duration.ofHours(1));
		String id = newId();
		store.create(id, bytes("data"), T0);
		store.delete(id);
		assertThat(this.redis.keys()).isEmpty();
	}

	@Test
	void theIndexEntryOfASessionRedisExpiredIsPrunedByTheCleanup() throws Exception {
		RedisSessionStore store = store(Duration.ofMillis(200));
		String id = newId();
		store.create(id, bytes("data"), "carol-" + id, Instant.now());
		Thread.sleep(400);

		assertThat(store.deleteAccessedBefore(Instant.now())).as("sessions removed").isZero();

		assertThat(this.redis.keys()).noneMatch((key) -> key.contains("principal:"));
	}

	@Test
	void theIndexEntryOfASessionRedisExpiredIsRemovedByTheNextFind() throws Exception {
		RedisSessionStore store = store(Duration.ofMillis(200));
		String name = "dave-" + newId();
		store.create(newId(), bytes("data"), name, Instant.now());
		Thread.sleep(400);

		assertThat(store.findByPrincipalName(name)).isEmpty();

		assertThat(this.redis.keys()).noneMatch((key) -> key.contains("principal:"));
	}

	@Test
	void aMoveOffANameThatLandsAfterALaterWriteNamedItAgainLeavesTheSessionListed() {
		// A write moved the session from alice to bob. A later write named alice again
		// and listed it under alice. The first write's removal from alice lands now.
		String id = newId();
		this.store.create(id, bytes("alice again"), "alice", T0);
		try (RedisConnection connection = this.redis.factory().getConnection()) {
			new RedisPrincipalIndex(new RedisKeys(this.redis.prefix())).move(connection, id, "alice", "bob");
		}

		assertThat(idsOf("alice")).containsExactly(id);
		assertThat(idsOf("bob")).as("the lingering entry, skipped by readers").isEmpty();
	}

	private Duration ttl(String id) {
		try (RedisConnection connection = this.redis.factory().getConnection()) {
			return Duration
				.ofMillis(connection.keyCommands().pTtl(RedisKeys.bytes(this.redis.prefix() + "{" + id + "}")));
		}
	}

}
