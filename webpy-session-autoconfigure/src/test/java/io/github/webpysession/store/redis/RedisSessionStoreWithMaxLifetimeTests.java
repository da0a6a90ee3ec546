package io.github.webpysession.store.redis;

import java.time.Duration;

/**
 * Every test of {@link RedisSessionStoreTests}, the store contract among them, on stores
 * with a {@code session.max-lifetime} longer than their timeout, so that every command
 * also keeps the session's lifetime key.
 */
class RedisSessionStoreWithMaxLifetimeTests extends RedisSessionStoreTests {

	@Override
	protected Duration maxLifetime() {
		return Duration.ofHours(48);
	}

}
