package io.github.webpysession.store.redis;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The subscription of a {@link RedisExpiryListener} to Redis's expired-key channel, on a
 * connection of its own. It subscribes in the background, trying again every
 * {@value #RETRY_SECONDS} s while Redis is down, so that an application whose Redis is
 * down still starts; once subscribed, Spring Data Redis's container resubscribes by
 * itself after a lost connection.
 */
public final class RedisExpirySubscription implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RedisExpirySubscription.class);

	static final long RETRY_SECONDS = 5;

	private final RedisConnectionFactory factory;

	private final RedisExpiryListener listener;

	private final @Nullable Integer database;

	private volatile @Nullable RedisMessageListenerContainer container;

	private volatile @Nullable Thread subscriber;

	/**
	 * @param database the database whose expired keys are reported; null for every one
	 */
	public RedisExpirySubscription(RedisConnectionFactory factory, RedisExpiryListener listener,
			@Nullable Integer database) {
		this.factory = factory;
		this.listener = listener;
		this.database = database;
	}

	@Override
	public synchronized void start() {
		if (this.subscriber != null) {
			return;
		}
		Thread thread = new Thread(this::subscribe, "webpy-session-redis-expiry");
		thread.setDaemon(true);
		this.subscriber = thread;
		thread.start();
	}

	private void subscribe() {
		this.listener.checkNotifications();
		while (this.subscriber == Thread.currentThread()) {
			RedisMessageListenerContainer container = new RedisMessageListenerContainer();
			container.setConnectionFactory(this.factory);
			container.addMessageListener(this.listener, RedisExpiryListener.topic(this.database));
			try {
				container.afterPropertiesSet();
				container.start();
				this.container = container;
				return;
			}
			catch (RuntimeException ex) {
				logger.debug("Cannot subscribe to Redis's expired keys yet, trying again in " + RETRY_SECONDS + " s: "
						+ ex.getMessage());
				destroy(container);
			}
			try {
				Thread.sleep(Duration.ofSeconds(RETRY_SECONDS).toMillis());
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	@Override
	public synchronized void stop() {
		Thread thread = this.subscriber;
		this.subscriber = null;
		if (thread != null) {
			thread.interrupt();
		}
		RedisMessageListenerContainer container = this.container;
		this.container = null;
		if (container != null) {
			destroy(container);
		}
	}

	private static void destroy(RedisMessageListenerContainer container) {
		try {
			container.destroy();
		}
		catch (Exception ex) {
			logger.debug("Cannot close the subscription to Redis's expired keys: " + ex.getMessage());
		}
	}

	@Override
	public boolean isRunning() {
		return this.subscriber != null;
	}

	/** Whether the subscription is in place, for tests. */
	boolean isSubscribed() {
		RedisMessageListenerContainer container = this.container;
		return container != null && container.isListening();
	}

}
