package io.github.webpysession.promises;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.testsupport.RedisDatabase;
import io.github.webpysession.testsupport.Services;
import io.github.webpysession.testsupport.StoreFault;
import io.github.webpysession.testsupport.TcpProxy;
import org.jspecify.annotations.Nullable;

/**
 * The matrix on the Redis store, on the local Redis reached through a {@link TcpProxy}:
 * its latency is the network's, and its outage is the fault. Lettuce reconnects by itself
 * once the proxy serves again; until then each command fails within
 * {@code spring.data.redis.timeout}.
 */
class RedisSessionPromisesTests extends SessionPromisesTests {

	private static final Duration RECOVERY = Duration.ofSeconds(20);

	private @Nullable TcpProxy proxy;

	private @Nullable RedisDatabase redis;

	@Override
	protected void beforeApplication() {
		Services.redis();
		this.redis = new RedisDatabase();
		this.proxy = new TcpProxy(Services.REDIS_PORT);
		this.proxy.setLatency(Duration.ofNanos(300_000));
	}

	@Override
	protected Map<String, String> storeProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("session.store", "redis");
		properties.put("session.redis.key-prefix", this.redis.prefix());
		properties.put("spring.data.redis.host", Services.REDIS_HOST);
		properties.put("spring.data.redis.port", String.valueOf(this.proxy.port()));
		properties.put("spring.data.redis.database", String.valueOf(RedisDatabase.DATABASE));
		properties.put("spring.data.redis.timeout", "500ms");
		properties.put("spring.data.redis.connect-timeout", "500ms");
		return properties;
	}

	/**
	 * All but the touch: a read records the use in the same command that loads the
	 * session, before the handler runs, so a fault that starts in the handler finds
	 * nothing left to fail.
	 */
	@Override
	protected Set<SessionOperation> failingOperations() {
		return EnumSet.complementOf(EnumSet.of(SessionOperation.TOUCH));
	}

	@Override
	protected void expireAccessedBefore(Instant cutoff) {
		this.redis.expireAccessedBefore(cutoff);
	}

	@Override
	protected StoreFault fault() {
		TcpProxy proxy = this.proxy;
		return new StoreFault() {

			@Override
			public void start() {
				proxy.reject();
			}

			@Override
			public void stop() {
				proxy.start();
				awaitReconnected();
			}

		};
	}

	/** Waits until the application's connection, which Lettuce re-opens, serves again. */
	private void awaitReconnected() {
		long deadline = System.nanoTime() + RECOVERY.toNanos();
		while (true) {
			try {
				store().load("0000");
				return;
			}
			catch (SessionStoreException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	protected void afterApplication() {
		if (this.proxy != null) {
			this.proxy.close();
		}
		if (this.redis != null) {
			this.redis.close();
		}
	}

}
