package io.github.webpysession.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.github.webpysession.store.StoredSession;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

/**
 * The tests' Redis: database {@value #DATABASE} of the local server, and a key prefix of
 * the test class's own, so that tests running at once never see each other's keys and
 * only their own keys are removed. Call {@link Services#redis()} first.
 */
public final class RedisDatabase implements AutoCloseable {

	public static final int DATABASE = 9;

	private final String prefix;

	private final LettuceConnectionFactory factory;

	/** A connection to the local server, under a new unique prefix. */
	public RedisDatabase() {
		this(Services.REDIS_PORT);
	}

	/**
	 * A connection to {@code port} (a {@link TcpProxy}, say), under a new unique prefix.
	 */
	public RedisDatabase(int port) {
		this(port, DATABASE);
	}

	/**
	 * A connection to database {@code database} at {@code port} (0 on a cluster node,
	 * which has no other), under a new unique prefix.
	 */
	public RedisDatabase(int port, int database) {
		this.prefix = "webpy-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";
		this.factory = factory(port, database);
	}

	/** A started connection factory on database {@value #DATABASE} at {@code port}. */
	public static LettuceConnectionFactory factory(int port) {
		return factory(port, DATABASE);
	}

	private static LettuceConnectionFactory factory(int port, int database) {
		RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(Services.REDIS_HOST, port);
		server.setDatabase(database);
		LettuceConnectionFactory factory = new LettuceConnectionFactory(server,
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	public String prefix() {
		return this.prefix;
	}

	public LettuceConnectionFactory factory() {
		return this.factory;
	}

	/** The keys under the prefix, by a {@code SCAN} (tests only). */
	public List<String> keys() {
		List<String> keys = new ArrayList<>();
		try (RedisConnection connection = this.factory.getConnection();
				Cursor<byte[]> cursor = connection.keyCommands()
					.scan(ScanOptions.scanOptions().match(this.prefix + "*").count(1000).build())) {
			cursor.forEachRemaining((key) -> keys.add(new String(key, StandardCharsets.UTF_8)));
		}
		return keys;
	}

	/**
	 * What Redis's own expiry does, by a test's clock rather than Redis's: the sessions
	 * under the prefix last accessed before {@code cutoff} vanish, and nothing else
	 * (their index entries stay, as when Redis expires them).
	 * @return how many vanished
	 */
	public int expireAccessedBefore(Instant cutoff) {
		int expired = 0;
		try (RedisConnection connection = this.factory.getConnection()) {
			for (String key : keys()) {
				byte[] name = key.getBytes(StandardCharsets.UTF_8);
				byte[] value = (key.endsWith("}") && !key.contains("principal:"))
						? connection.stringCommands().get(name) : null;
				if (value != null && StoredSession.lastAccessedOf(value).isBefore(cutoff)) {
					connection.keyCommands().del(name);
					expired++;
				}
			}
		}
		return expired;
	}

	/** Removes every key under the prefix. */
	public void flush() {
		try (RedisConnection connection = this.factory.getConnection()) {
			for (String key : keys()) {
				connection.keyCommands().del(key.getBytes(StandardCharsets.UTF_8));
			}
		}
	}

	/**
	 * The calls of each command that the whole server has run, from
	 * {@code INFO commandstats}: "get" to its count.
	 */
	public Map<String, Long> commandCalls() {
		Map<String, Long> calls = new LinkedHashMap<>();
		try (RedisConnection connection = this.factory.getConnection()) {
			Properties stats = connection.serverCommands().info("commandstats");
			for (String name : stats.stringPropertyNames()) {
				String value = stats.getProperty(name);
				if (name.startsWith("cmdstat_") && value.startsWith("calls=")) {
					calls.put(name.substring("cmdstat_".length()),
							Long.parseLong(value.substring("calls=".length(), value.indexOf(','))));
				}
			}
		}
		return calls;
	}

	/** Sets a server setting, for the test's duration (notify-keyspace-events, say). */
	public void setConfig(String name, String value) {
		try (RedisConnection connection = this.factory.getConnection()) {
			connection.serverCommands().setConfig(name, value);
		}
	}

	@Override
	public void close() {
		try {
			flush();
		}
		finally {
			this.factory.destroy();
		}
	}

}
