package io.github.webpysession.autoconfigure;

import java.time.Clock;

import io.github.webpysession.store.SessionLocks;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.redis.RedisExpiryListener;
import io.github.webpysession.store.redis.RedisExpirySubscription;
import io.github.webpysession.store.redis.RedisSessionLocks;
import io.github.webpysession.store.redis.RedisSessionStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The {@code redis} store on Spring Boot's {@link RedisConnectionFactory}
 * ({@code spring.data.redis.*}: standalone, Sentinel or Cluster), its session locks in
 * the same Redis, so that {@code session.lock} holds across instances, and the listener
 * that reports the sessions Redis expired.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, DataRedisProperties.class })
@ConditionalOnMissingBean(SessionStore.class)
@ConditionalOnProperty(name = "session.store", havingValue = "redis")
class RedisStoreConfiguration {

	/** What an application without a Redis connection adds. */
	static final String HOW_TO_ADD_REDIS = "add org.springframework.boot:spring-boot-starter-data-redis"
			+ " and set spring.data.redis.host (or spring.data.redis.url, .sentinel.*, .cluster.*)";

	@Bean
	RedisSessionStore sessionStore(ObjectProvider<RedisConnectionFactory> factories, SessionProperties properties) {
		RedisConnectionFactory factory = factories.getIfUnique();
		if (factory == null) {
			throw new IllegalStateException("session.store=redis keeps sessions in Redis through Spring Boot's"
					+ " RedisConnectionFactory, but this application has " + (factories.stream().findAny().isPresent()
							? "several and none is @Primary: mark one @Primary" : "none: " + HOW_TO_ADD_REDIS));
		}
		return new RedisSessionStore(factory, new RedisSessionStore.Settings(properties.getRedis().getKeyPrefix(),
				properties.getTimeout(), properties.getMaxLifetime()));
	}

	/** Replaces the default in-JVM locks, unless the application has its own. */
	@Bean
	@ConditionalOnMissingBean(SessionLocks.class)
	RedisSessionLocks sessionLocks(RedisSessionStore sessionStore) {
		return new RedisSessionLocks(sessionStore);
	}

	@Bean
	@ConditionalOnMissingBean
	RedisExpiryListener redisSessionExpiryListener(RedisSessionStore sessionStore, ApplicationEventPublisher events,
			ObjectProvider<Clock> clock) {
		return new RedisExpiryListener(sessionStore, events, clock.getIfAvailable(Clock::systemUTC));
	}

	/**
	 * The listener's subscription, on a connection of its own, made in the background.
	 */
	@Bean
	@ConditionalOnMissingBean
	RedisExpirySubscription redisSessionExpirySubscription(RedisSessionStore sessionStore, RedisExpiryListener listener,
			ObjectProvider<DataRedisProperties> redisProperties) {
		DataRedisProperties properties = redisProperties.getIfAvailable();
		return new RedisExpirySubscription(sessionStore.connectionFactory(), listener,
				(properties != null) ? properties.getDatabase() : null);
	}

}
