package io.github.webpysession.store.redis;

import java.util.function.Function;

import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.SessionStoreException;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Runs the store's commands on a connection of Spring Boot's
 * {@link RedisConnectionFactory} (with Lettuce, a view of its one shared connection, so
 * borrowing costs nothing), and reports any failure of Redis, refused, timed out or in
 * error, as a {@link SessionStoreException}, which a request answers 503.
 */
final class RedisConnections {

	private final RedisConnectionFactory factory;

	private final String name;

	/**
	 * @param name what failures name the store by
	 */
	RedisConnections(RedisConnectionFactory factory, String name) {
		this.factory = factory;
		this.name = name;
	}

	RedisConnectionFactory factory() {
		return this.factory;
	}

	/**
	 * Runs {@code work}; {@code what} says what failed ("cannot load a session").
	 */
	<T extends @Nullable Object> T execute(String what, Function<RedisConnection, T> work) {
		try (RedisConnection connection = this.factory.getConnection()) {
			return work.apply(connection);
		}
		catch (UnreadableSessionException | SessionStoreException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new SessionStoreException(this.name + ": " + what + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public String toString() {
		return this.name;
	}

}
