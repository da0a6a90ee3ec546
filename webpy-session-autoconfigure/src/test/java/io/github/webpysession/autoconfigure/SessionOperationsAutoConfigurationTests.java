package io.github.webpysession.autoconfigure;

import io.github.webpysession.actuate.SessionStoreHealthIndicator;
import io.github.webpysession.actuate.SessionsEndpoint;
import io.github.webpysession.metrics.MeteredSessionLocks;
import io.github.webpysession.metrics.MeteredSessionStore;
import io.github.webpysession.metrics.ObservedSessionStore;
import io.github.webpysession.metrics.SessionEventMeters;
import io.github.webpysession.store.memory.MemorySessionStore;
import io.github.webpysession.web.SessionStorage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations' auto-configurations: meters only with a {@link MeterRegistry}, the
 * endpoint only where exposed, health where Actuator is, and nothing at all without
 * Micrometer or Actuator on the class path.
 */
class SessionOperationsAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class, WebMvcAutoConfiguration.class,
				SessionMetricsAutoConfiguration.class, SessionActuatorAutoConfiguration.class,
				SessionObservationAutoConfiguration.class, EndpointAutoConfiguration.class,
				WebEndpointAutoConfiguration.class))
		.withPropertyValues("session.store=memory");

	@Test
	void withAMeterRegistryTheStorageIsMeteredAndTheStoreBeanStaysAsItIs() {
		this.runner.withUserConfiguration(Registry.class).run((context) -> {
			SessionStorage storage = context.getBean(SessionStorage.class);
			assertThat(storage.store()).isInstanceOf(MeteredSessionStore.class);
			assertThat(storage.store().unwrap()).isSameAs(context.getBean(MemorySessionStore.class));
			assertThat(storage.locks()).isInstanceOf(MeteredSessionLocks.class);
			assertThat(context).hasSingleBean(SessionEventMeters.class);
			assertThat(context.getBean(MeterRegistry.class).find("webpy.sessions.stored").gauge()).isNotNull();
		});
	}

	@Test
	void withoutAMeterRegistryNothingIsMetered() {
		this.runner.run((context) -> {
			assertThat(context.getBean(SessionStorage.class).store()).isInstanceOf(MemorySessionStore.class);
			assertThat(context).doesNotHaveBean(SessionEventMeters.class);
		});
	}

	@Test
	void withoutMicrometerOnTheClassPathNothingIsMeteredAndTheApplicationStarts() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(SessionStorage.class).store()).isInstanceOf(MemorySessionStore.class);
			assertThat(context).doesNotHaveBean(SessionEventMeters.class);
		});
	}

	@Test
	void withAnObservationRegistryAndATracerTheStoreIsObserved() {
		this.runner.withUserConfiguration(Tracing.class).run((context) -> {
			assertThat(context.getBean(SessionStorage.class).store()).isInstanceOf(ObservedSessionStore.class);
			assertThat(context.getBean(SessionStorage.class).store().unwrap())
				.isSameAs(context.getBean(MemorySessionStore.class));
		});
	}

	@Test
	void withAnObservationRegistryButNoTracerNothingIsObserved() {
		this.runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.run((context) -> assertThat(context.getBean(SessionStorage.class).store())
				.isInstanceOf(MemorySessionStore.class));
	}

	@Test
	void withoutMicrometerTracingOnTheClassPathNothingIsObserved() {
		this.runner.withUserConfiguration(Tracing.class)
			.withClassLoader(new FilteredClassLoader("io.micrometer.tracing"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(SessionStorage.class).store()).isInstanceOf(MemorySessionStore.class);
			});
	}

	@Test
	void theEndpointExistsOnlyWhereTheApplicationExposesIt() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(SessionsEndpoint.class));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=webpysessions")
			.run((context) -> assertThat(context).hasSingleBean(SessionsEndpoint.class));
	}

	@Test
	void theHealthContributorIsNamedWebpySessionAndCanBeTurnedOff() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(SessionStoreHealthIndicator.class)
			.hasBean("webpySessionHealthIndicator"));
		this.runner.withPropertyValues("management.health.webpy-session.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SessionStoreHealthIndicator.class));
	}

	@Test
	void withoutActuatorOnTheClassPathThereIsNoEndpointNorHealthAndTheApplicationStarts() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class, WebMvcAutoConfiguration.class,
					SessionActuatorAutoConfiguration.class))
			.withPropertyValues("session.store=memory", "management.endpoints.web.exposure.include=*")
			.withClassLoader(new FilteredClassLoader(Endpoint.class, HealthIndicator.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(SessionsEndpoint.class);
				assertThat(context).doesNotHaveBean(SessionStoreHealthIndicator.class);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Tracing {

		@Bean
		ObservationRegistry observationRegistry() {
			return ObservationRegistry.create();
		}

		@Bean
		SimpleTracer tracer() {
			return new SimpleTracer();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Registry {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
