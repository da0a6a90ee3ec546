package io.github.webpysession.store.redis;

import java.time.Duration;

import io.github.webpysession.autoconfigure.SessionAutoConfiguration;
import io.github.webpysession.store.SessionLocks;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.SessionStoreException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code session.store=redis} as auto-configured: on Spring Boot's Redis connection, with
 * its locks, and the startup failures that say what to add. No Redis is needed.
 */
class RedisStoreConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, SessionAutoConfiguration.class))
		.withPropertyValues("session.store=redis", "spring.data.redis.port=1", "spring.data.redis.timeout=200ms",
				"spring.data.redis.connect-timeout=200ms");

	@Test
	void theStoreIsTheRedisStoreWithLocksInRedisUnderTheDefaultPrefix() {
		this.runner.run((context) -> {
			assertThat(context).getBean(SessionStore.class).isInstanceOf(RedisSessionStore.class);
			assertThat(context).getBean(SessionLocks.class).isInstanceOf(RedisSessionLocks.class);
			assertThat(context.getBean(RedisSessionStore.class).keys().prefix()).isEqualTo("webpy:session:");
		});
	}

	@Test
	void theKeyPrefixIsSessionRedisKeyPrefix() {
		this.runner.withPropertyValues("session.redis.key-prefix=shop:sessions:")
			.run((context) -> assertThat(context.getBean(RedisSessionStore.class).keys().prefix())
				.isEqualTo("shop:sessions:"));
	}

	@Test
	void theStoreCapsItsExpiryBySessionMaxLifetime() {
		this.runner.withPropertyValues("session.max-lifetime=8h")
			.run((context) -> assertThat(context.getBean(RedisSessionStore.class).maxLifetime())
				.isEqualTo(Duration.ofHours(8)));
	}

	@Test
	void withoutSessionMaxLifetimeTheStoreHasNone() {
		this.runner.run((context) -> assertThat(context.getBean(RedisSessionStore.class).maxLifetime()).isNull());
	}

	@Test
	void theApplicationStartsWhileRedisIsDownAndTheStoreThenFailsAsAStoreFailure() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThatExceptionOfType(SessionStoreException.class)
				.isThrownBy(() -> context.getBean(SessionStore.class).load("d".repeat(64)))
				.withMessageContaining("Redis session store");
		});
	}

	@Test
	void withoutSpringBootsRedisSupportStartupFailsNamingTheStarterToAdd() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.withPropertyValues("session.store=redis")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("No session store for session.store=redis")
				.hasStackTraceContaining("add org.springframework.boot:spring-boot-starter-data-redis"));
	}

	@Test
	void withoutAConnectionFactoryStartupFailsNamingWhatToAdd() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class))
			.withPropertyValues("session.store=redis")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("session.store=redis keeps sessions in Redis through Spring Boot's"
						+ " RedisConnectionFactory, but this application has none")
				.hasStackTraceContaining("spring-boot-starter-data-redis"));
	}

}
