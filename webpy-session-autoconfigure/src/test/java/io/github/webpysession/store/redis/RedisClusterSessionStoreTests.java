package io.github.webpysession.store.redis;

import java.time.Duration;
import java.time.Instant;

import io.github.webpysession.autoconfigure.SessionAutoConfiguration;
import io.github.webpysession.store.PrincipalIndexContractTests;
import io.github.webpysession.store.SessionLocks.Lease;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.testsupport.RedisCluster;
import io.github.webpysession.testsupport.RedisDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The store contract, the principal index and the lock on a Redis Cluster of its own
 * ({@link RedisCluster}), connected as Spring Boot connects to one
 * ({@code spring.data.redis.cluster.nodes}). Redis rejects any command or script whose
 * keys are in different hash slots, so these tests pass only because every key of a
 * session is in the slot of its hash tag. The stores have a {@code session.max-lifetime},
 * so that the scripts use a second key of the session too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterSessionStoreTests extends PrincipalIndexContractTests {

	private RedisCluster cluster;

	private AnnotationConfigApplicationContext boot;

	private RedisDatabase node;

	@BeforeAll
	void startCluster() throws Exception {
		this.cluster = RedisCluster.start();
		this.node = this.cluster.database();
		this.boot = new AnnotationConfigApplicationContext();
		TestPropertyValues.of("spring.data.redis.cluster.nodes=" + this.cluster.node(), "spring.data.redis.timeout=2s")
			.applyTo(this.boot);
		this.boot.register(DataRedisAutoConfiguration.class);
		this.boot.refresh();
	}

	@AfterAll
	void stopCluster() {
		if (this.boot != null) {
			this.boot.close();
		}
		if (this.node != null) {
			this.node.close();
		}
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Override
	protected SessionStore createStore() {
		return store();
	}

	private RedisSessionStore store() {
		return new RedisSessionStore(this.boot.getBean(RedisConnectionFactory.class),
				new RedisSessionStore.Settings(this.node.prefix(), Duration.ofHours(24), Duration.ofHours(48)));
	}

	@Override
	protected void closeStore(SessionStore store) {
		this.node.flush();
	}

	@Override
	protected SessionStore reopenStore(SessionStore store) {
		return createStore();
	}

	@Override
	protected int expireAccessedBefore(Instant cutoff) {
		int expired = this.node.expireAccessedBefore(cutoff);
		assertThat(this.store.deleteAccessedBefore(cutoff)).as("sessions the cleanup removes").isZero();
		return expired;
	}

	@Test
	void theStoreIsOnAClusterConnection() {
		try (RedisConnection connection = store().connectionFactory().getConnection()) {
			assertThat(connection).isInstanceOf(RedisClusterConnection.class);
		}
	}

	@Test
	void theClusterRejectsAScriptOnKeysOfTwoSlots() {
		try (RedisConnection connection = store().connectionFactory().getConnection()) {
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> connection.scriptingCommands()
					.eval(RedisKeys.bytes("return 1"), ReturnType.INTEGER, 2, RedisKeys.bytes("{a}"),
							RedisKeys.bytes("{b}")))
				.withStackTraceContaining("CROSSSLOT");
		}
	}

	@Test
	void anApplicationWithSessionStoreRedisOnTheClusterStartsAndKeepsItsSessionsThere() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, SessionAutoConfiguration.class))
			.withPropertyValues("session.store=redis", "session.redis.key-prefix=" + this.node.prefix(),
					"spring.data.redis.cluster.nodes=" + this.cluster.node())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				SessionStore store = context.getBean(SessionStore.class);
				String id = newId();
				assertThat(store.create(id, bytes("data"), T0)).isTrue();
				assertThat(store.load(id)).isNotNull();
				assertThat(this.node.keys()).contains(this.node.prefix() + "{" + id + "}");
			});
	}

	@Test
	void aHeldLockIsNotGivenToAnotherInstanceUntilReleased() {
		try (RedisSessionLocks locks = new RedisSessionLocks(store());
				RedisSessionLocks otherInstance = new RedisSessionLocks(store())) {
			String id = newId();
			try (Lease lease = locks.tryAcquire(id, Duration.ofMillis(200))) {
				assertThat(lease).isNotNull();
				assertThat(otherInstance.tryAcquire(id, Duration.ofMillis(200))).isNull();
			}
			try (Lease next = otherInstance.tryAcquire(id, Duration.ofMillis(200))) {
				assertThat(next).isNotNull();
			}
		}
	}

}
