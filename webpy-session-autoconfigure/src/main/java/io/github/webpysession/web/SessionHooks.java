package io.github.webpysession.web;

import java.time.Clock;
import java.util.List;

import io.github.webpysession.SessionInitializer;

import org.springframework.context.ApplicationEventPublisher;

/**
 * What the application plugs into the lifecycle: its initializers, which fill every new
 * session, where {@link io.github.webpysession.event.SessionEvent}s go, and the clock
 * that dates requests.
 *
 * @param initializers run in order for every new session
 * @param events receives an event for each session created, regenerated, killed or
 * expired
 * @param clock the time a request starts at, by which it judges expiry
 * @param principalResolvers derive the name a session is indexed under from what is put
 * in it
 */
public record SessionHooks(List<SessionInitializer> initializers, ApplicationEventPublisher events, Clock clock,
		List<SessionPrincipalResolver> principalResolvers) {

	public SessionHooks {
		initializers = List.copyOf(initializers);
		principalResolvers = List.copyOf(principalResolvers);
	}

	/** Without principal resolvers. */
	public SessionHooks(List<SessionInitializer> initializers, ApplicationEventPublisher events, Clock clock) {
		this(initializers, events, clock, List.of());
	}

}
