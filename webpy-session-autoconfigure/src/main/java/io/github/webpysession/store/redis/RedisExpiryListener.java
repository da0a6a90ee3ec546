package io.github.webpysession.store.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Properties;

import io.github.webpysession.event.SessionExpiredEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.Topic;

/**
 * Reports a session that Redis expired as a {@link SessionExpiredEvent} (reason
 * {@code TIMEOUT}), from Redis's keyspace notifications of expired keys: the request that
 * would have found it expired finds nothing, since Redis removed it.
 * <p>
 * Redis sends them only where {@code notify-keyspace-events} includes {@code E} and
 * {@code x} (for example {@code Ex}); this listener never changes a server's
 * configuration, and says at startup when they are off: sessions then still expire, with
 * no event. Each instance subscribed reports each expiry, and Redis reports one when it
 * removes the key, which may be a little after its expiry.
 */
public final class RedisExpiryListener implements MessageListener {

	private static final Log logger = LogFactory.getLog(RedisExpiryListener.class);

	private final RedisSessionStore store;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	public RedisExpiryListener(RedisSessionStore store, ApplicationEventPublisher events, Clock clock) {
		this.store = store;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * The channel of expired keys of database {@code database}, or of every database
	 * where it is null.
	 */
	public static Topic topic(@Nullable Integer database) {
		return new PatternTopic("__keyevent@" + ((database != null) ? database : "*") + "__:expired");
	}

	@Override
	public void onMessage(Message message, byte @Nullable [] pattern) {
		String id = this.store.keys().sessionIdOf(new String(message.getBody(), StandardCharsets.UTF_8));
		if (id != null) {
			this.events
				.publishEvent(new SessionExpiredEvent(this.store, id, SessionExpiredEvent.Reason.TIMEOUT, this.clock));
		}
	}

	/**
	 * Logs whether Redis sends the notifications this listener needs; where it cannot be
	 * asked ({@code CONFIG} disabled, Redis down), says so at debug level only.
	 */
	public void checkNotifications() {
		try {
			String flags = this.store.connections().execute("cannot read notify-keyspace-events", (connection) -> {
				Properties config = connection.serverCommands().getConfig("notify-keyspace-events");
				return (config != null) ? config.getProperty("notify-keyspace-events", "") : "";
			});
			if (!sendsExpiredEvents(flags)) {
				logger.info("Redis sends no keyspace notifications of expired keys (notify-keyspace-events is '" + flags
						+ "'): sessions that Redis expires are not reported by a SessionExpiredEvent;"
						+ " set notify-keyspace-events to Ex (or add Ex to it) to have them reported");
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Cannot tell whether Redis sends keyspace notifications: " + ex.getMessage());
		}
	}

	static boolean sendsExpiredEvents(String flags) {
		return flags.contains("E") && (flags.contains("x") || flags.contains("A"));
	}

}
