package io.github.webpysession.autoconfigure;

import io.github.webpysession.metrics.ObservedSessionStore;
import io.github.webpysession.metrics.SessionObservationPostProcessor;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Observations of the store's operations, where the application traces: it has an
 * {@link ObservationRegistry} and a Micrometer Tracing {@code Tracer}. A trace of a slow
 * request then shows its session's load and save. Without a tracer an observation would
 * only time again what {@code webpy.session.store} times, so nothing is observed.
 */
@AutoConfiguration(after = SessionAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				"org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(value = ObservationRegistry.class, name = "io.micrometer.tracing.Tracer")
@ConditionalOnBean(value = ObservationRegistry.class, type = "io.micrometer.tracing.Tracer")
public class SessionObservationAutoConfiguration {

	@Bean
	static SessionObservationPostProcessor sessionObservationPostProcessor(
			ObjectProvider<ObservationRegistry> registry) {
		return new SessionObservationPostProcessor(registry);
	}

	/**
	 * Leaves out the meters that an observation handler would make of the observations:
	 * {@code webpy.session.store} times the same operations.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterFilter.class)
	static class ObservationMetersConfiguration {

		@Bean
		MeterFilter webpySessionObservationMeterFilter() {
			return MeterFilter.denyNameStartsWith(ObservedSessionStore.OBSERVATION);
		}

	}

}
