package io.github.webpysession.autoconfigure;

import io.github.webpysession.Sessions;
import io.github.webpysession.actuate.SessionStoreHealthIndicator;
import io.github.webpysession.actuate.SessionsEndpoint;
import io.github.webpysession.store.SessionStore;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The sessions' Actuator support, where the application has Actuator: the
 * {@code webpysessions} endpoint (available only where exposed, as every endpoint) and
 * the {@code webpySession} health contributor.
 */
@AutoConfiguration(after = SessionAutoConfiguration.class)
@ConditionalOnBean(SessionStore.class)
@Import({ SessionActuatorAutoConfiguration.EndpointConfiguration.class,
		SessionActuatorAutoConfiguration.HealthConfiguration.class })
public class SessionActuatorAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	@ConditionalOnAvailableEndpoint(SessionsEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionsEndpoint sessionsEndpoint(Sessions sessions) {
			return new SessionsEndpoint(sessions);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
	@ConditionalOnEnabledHealthIndicator("webpy-session")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "webpySessionHealthIndicator")
		SessionStoreHealthIndicator webpySessionHealthIndicator(SessionStore store) {
			return new SessionStoreHealthIndicator(store, (check) -> {
				Thread thread = new Thread(check, "webpy-session-health");
				thread.setDaemon(true);
				thread.start();
			}, SessionStoreHealthIndicator.DEADLINE);
		}

	}

}
