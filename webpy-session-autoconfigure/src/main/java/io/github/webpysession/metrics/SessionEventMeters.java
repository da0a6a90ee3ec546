package io.github.webpysession.metrics;

import java.util.EnumMap;
import java.util.Map;

import io.github.webpysession.event.SessionCreatedEvent;
import io.github.webpysession.event.SessionEvent;
import io.github.webpysession.event.SessionExpiredEvent;
import io.github.webpysession.event.SessionKilledEvent;
import io.github.webpysession.event.SessionRegeneratedEvent;
import io.github.webpysession.event.SessionUnreadableEvent;
import io.github.webpysession.event.SessionsCleanedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;

/**
 * Counts the lifecycle's events: sessions created, regenerated, killed, unreadable, and
 * expired by reason ({@code webpy.sessions.expired}, where the cleanup's removals count
 * as {@code timeout}). Every counter is registered up front, at zero.
 */
public final class SessionEventMeters implements SmartApplicationListener {

	private final Counter created;

	private final Counter killed;

	private final Counter regenerated;

	private final Counter unreadable;

	private final Map<SessionExpiredEvent.Reason, Counter> expired = new EnumMap<>(SessionExpiredEvent.Reason.class);

	public SessionEventMeters(MeterRegistry registry) {
		this.created = counter(registry, "webpy.sessions.created", "Sessions stored for the first time");
		this.killed = counter(registry, "webpy.sessions.killed", "Sessions killed (logout, Sessions.kill)");
		this.regenerated = counter(registry, "webpy.sessions.regenerated", "Sessions given a new id");
		this.unreadable = counter(registry, "webpy.sessions.unreadable",
				"Stored sessions that could not be read, replaced by a fresh one");
		for (SessionExpiredEvent.Reason reason : SessionExpiredEvent.Reason.values()) {
			this.expired.put(reason,
					Counter.builder("webpy.sessions.expired")
						.description("Sessions that expired, by reason")
						.tag("reason", reasonTag(reason))
						.register(registry));
		}
	}

	private static Counter counter(MeterRegistry registry, String name, String description) {
		return Counter.builder(name).description(description).register(registry);
	}

	/** The {@code reason} tag of an expiry. */
	static String reasonTag(SessionExpiredEvent.Reason reason) {
		return switch (reason) {
			case TIMEOUT -> "timeout";
			case MAX_LIFETIME -> "max-lifetime";
			case IP_CHANGED -> "ip-change";
		};
	}

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return SessionEvent.class.isAssignableFrom(eventType) || SessionsCleanedEvent.class.isAssignableFrom(eventType);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		Counter counter = counterOf(event);
		if (counter != null) {
			counter.increment();
		}
		else if (event instanceof SessionsCleanedEvent cleaned) {
			this.expired.get(SessionExpiredEvent.Reason.TIMEOUT).increment(cleaned.getCount());
		}
	}

	private @Nullable Counter counterOf(ApplicationEvent event) {
		if (event instanceof SessionCreatedEvent) {
			return this.created;
		}
		if (event instanceof SessionKilledEvent) {
			return this.killed;
		}
		if (event instanceof SessionRegeneratedEvent) {
			return this.regenerated;
		}
		if (event instanceof SessionUnreadableEvent) {
			return this.unreadable;
		}
		if (event instanceof SessionExpiredEvent expiry) {
			return this.expired.get(expiry.getReason());
		}
		return null;
	}

}
