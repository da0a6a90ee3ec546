package io.github.webpysession.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.awaitility.Awaitility;
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

		// The server ends (and names) the request's span after the client has its answer.
		SimpleSpan request = Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> named("http get").findFirst(), Optional::isPresent)
			.orElseThrow();
		List<SimpleSpan> sessionSpans = named("session ").toList();
		assertThat(sessionSpans).extracting(SimpleSpan::getName).containsExactly("session load", "session update");
		assertThat(sessionSpans).allSatisfy((span) -> {
			assertThat(span.getTraceId()).isEqualTo(request.getTraceId());
			assertThat(span.getTags()).containsEntry("store", "memory").containsKey("operation");
		});
	}

	private Stream<SimpleSpan> named(String prefix) {
		return this.tracer.getSpans()
			.stream()
			.filter((span) -> span.getName() != null && span.getName().startsWith(prefix));
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
