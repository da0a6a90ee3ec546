package io.github.webpysession.metrics;

import java.util.List;

import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Traces of requests, where the application traces (an {@code ObservationRegistry} and a
 * {@code Tracer}): the session's load and save are spans within the request's trace.
 */
@SpringBootTest(classes = { TestApplication.class, SessionTracesHttpTests.Tracing.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "session.store=memory")
class SessionTracesHttpTests {

	@LocalServerPort
	int port;

	@Autowired
	SimpleTracer tracer;

	@BeforeEach
	void noSpansYet() {
		this.tracer.getSpans().clear();
	}

	@Test
	void aRequestsTraceShowsItsSessionsLoadAndSave() {
		HttpClientWithCookies client = new HttpClientWithCookies(this.port);
		client.get("/count");
		this.tracer.getSpans().clear();

		client.get("/count");

		SimpleSpan request = this.tracer.getSpans()
			.stream()
			.filter((span) -> span.getName().startsWith("http get"))
			.findFirst()
			.orElseThrow();
		List<SimpleSpan> sessionSpans = this.tracer.getSpans()
			.stream()
			.filter((span) -> span.getName().startsWith("session "))
			.toList();
		assertThat(sessionSpans).extracting(SimpleSpan::getName).containsExactly("session load", "session update");
		assertThat(sessionSpans).allSatisfy((span) -> {
			assertThat(span.getTraceId()).isEqualTo(request.getTraceId());
			assertThat(span.getTags()).containsEntry("store", "memory").containsKey("operation");
		});
	}

	@Test
	void theObservationsMakeNoMetersOfTheirOwn(@Autowired MeterRegistry registry) {
		new HttpClientWithCookies(this.port).get("/count");

		assertThat(registry.find(ObservedSessionStore.OBSERVATION).meters()).isEmpty();
		assertThat(registry.find("webpy.session.store").tag("operation", "create").timer().count()).isPositive();
	}

	/** A tracer that keeps its spans, handling every observation. */
	@TestConfiguration(proxyBeanMethods = false)
	static class Tracing {

		@Bean
		SimpleTracer tracer() {
			return new SimpleTracer();
		}

		@Bean
		DefaultTracingObservationHandler tracingObservationHandler(SimpleTracer tracer) {
			return new DefaultTracingObservationHandler(tracer);
		}

	}

}
