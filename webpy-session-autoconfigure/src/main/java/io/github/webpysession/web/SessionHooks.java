package io.github.webpysession.web;

import java.time.Clock;
import java.util.List;

import io.github.webpysession.SessionInitializer;

import org.springframework.context.ApplicationEventPublisher;

/**
 * What the application plugs into the lifecycle: its initializers, which fill every new session,
 * where {@link io.github.webpysession.event.SessionEvent}s go, and the clock that dates requests.
 *
 * @param initializers run in order for every new session
 * @param events receives an event for each session created, regenerated, killed or expired
 * @param clock the time a request starts at, by which it judges expiry
 */
public record SessionHooks(List<SessionInitializer> initializers, ApplicationEventPublisher events, Clock clock) {

	public SessionHooks {
		initializers = List.copyOf(initializers);
	}

}
