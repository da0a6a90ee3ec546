package io.github.webpysession.autoconfigure;

import io.github.webpysession.metrics.SessionEventMeters;
import io.github.webpysession.metrics.SessionMetricsPostProcessor;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * The sessions' meters, where the application has a {@link MeterRegistry}: the store and
 * locks timed, the lifecycle's events counted. Without Micrometer, or without a registry,
 * nothing is wrapped and nothing is paid.
 */
@AutoConfiguration(after = SessionAutoConfiguration.class, afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public class SessionMetricsAutoConfiguration {

	@Bean
	static SessionMetricsPostProcessor sessionMetricsPostProcessor(ObjectProvider<MeterRegistry> registry) {
		return new SessionMetricsPostProcessor(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	SessionEventMeters sessionEventMeters(MeterRegistry registry) {
		return new SessionEventMeters(registry);
	}

}
