package io.github.webpysession.promises;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.RedisCommand;

import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.testsupport.RedisDatabase;
import io.github.webpysession.testsupport.Services;
import io.github.webpysession.testsupport.StoreFault;
import io.github.webpysession.testsupport.TcpProxy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;

/**
 * The matrix on the Redis store, on the local Redis reached through a {@link TcpProxy}:
 * its latency is the network's, and its outage is the fault. Lettuce reconnects by itself
 * once the proxy serves again; until then each command fails within its timeout.
 * <p>
 * That timeout is short only while the fault is on, so that a failing request is answered
 * quickly; otherwise it is generous, so that a loaded machine (CI's, with other builds
 * beside) does not fail a request that the test expects to succeed.
 */
class RedisSessionPromisesTests extends SessionPromisesTests {

	private static final Duration RECOVERY = Duration.ofSeconds(20);

	/** The command timeout while the proxy rejects: a fault is answered this soon. */
	private static final Duration DURING_FAULT = Duration.ofMillis(500);

	/** The command timeout otherwise: far above any command on a loaded machine. */
	private static final Duration GENEROUS = Duration.ofSeconds(15);

	private final CommandTimeout commandTimeout = new CommandTimeout();

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
		properties.put("spring.data.redis.timeout", GENEROUS.toMillis() + "ms");
		properties.put("spring.data.redis.connect-timeout", "5s");
		return properties;
	}

	/** Lettuce times each command out after what {@link #commandTimeout} says then. */
	@Override
	protected void customize(SpringApplicationBuilder application) {
		LettuceClientOptionsBuilderCustomizer timeouts = (options) -> options
			.timeoutOptions(TimeoutOptions.builder().timeoutSource(this.commandTimeout).build());
		application.initializers(
				(context) -> context.getBeanFactory().registerSingleton("commandTimeoutCustomizer", timeouts));
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
				RedisSessionPromisesTests.this.commandTimeout.set(DURING_FAULT);
				proxy.reject();
			}

			@Override
			public void stop() {
				proxy.start();
				RedisSessionPromisesTests.this.commandTimeout.set(GENEROUS);
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

	/**
	 * The timeout of a command, as it is when the command is written: a command queued
	 * while the proxy rejects keeps the short one.
	 */
	private static final class CommandTimeout extends TimeoutOptions.TimeoutSource {

		private volatile Duration timeout = GENEROUS;

		void set(Duration timeout) {
			this.timeout = timeout;
		}

		@Override
		public long getTimeout(RedisCommand<?, ?, ?> command) {
			return this.timeout.toMillis();
		}

		@Override
		public TimeUnit getTimeUnit() {
			return TimeUnit.MILLISECONDS;
		}

	}

}
