package io.github.webpysession.web;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.github.webpysession.web.HttpSessionBridgeHttpTests.CountingStore;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code request.isRequestedSessionIdValid()} asked after the request, as a filter that
 * wraps the starter's does: true for the cookie of a live session, false for any other,
 * and never a second store read once the request was answered that its session expired
 * (with {@code session.lock}, that answer is judged without loading the session for use).
 */
@Import({ HttpSessionBridgeHttpTests.CountingStoreConfiguration.class,
		HttpSessionRequestedIdHttpTests.AfterChainConfiguration.class })
@TestPropertySource(properties = { "session.timeout=60", "session.ignore-expiry=false", "session.lock=true" })
class HttpSessionRequestedIdHttpTests extends MemoryStoreHttpTests {

	/** The query of the requests whose answer the filter records. */
	private static final String RECORDED = "?after-chain";

	@Autowired
	AfterChain afterChain;

	@BeforeEach
	void forgetTheLastAnswer() {
		this.afterChain.valid.set(null);
	}

	@Test
	void theRequestedIdOfALiveSessionIsValid() throws InterruptedException {
		this.client.get("/count");

		this.client.get("/count" + RECORDED);

		assertThat(this.afterChain.answer()).isTrue();
	}

	@Test
	void noCookieIsNoValidRequestedId() throws InterruptedException {
		this.client.get("/plain" + RECORDED);

		assertThat(this.afterChain.answer()).isFalse();
	}

	@Test
	void theRequestedIdOfAnExpiredSessionIsNotValidAndReadsNoStoreAgain() throws InterruptedException {
		this.client.get("/count");
		this.clock.advance(Duration.ofSeconds(61));
		CountingStore counting = (CountingStore) this.store;
		counting.loads.set(0);

		assertThat(this.client.get("/count" + RECORDED).body()).isEqualTo("Session expired");

		assertThat(this.afterChain.answer()).isFalse();
		assertThat(counting.loads).as("the judgement before the handler reads the store once").hasValue(1);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class AfterChainConfiguration {

		@Bean
		AfterChain afterChain() {
			return new AfterChain();
		}

		@Bean
		FilterRegistrationBean<AfterChain> afterChainRegistration(AfterChain afterChain) {
			FilterRegistrationBean<AfterChain> registration = new FilterRegistrationBean<>(afterChain);
			registration.setOrder(SessionFilter.DEFAULT_ORDER + 1);
			return registration;
		}

	}

	/**
	 * Records what the request answers once the rest of its chain is done, which may be
	 * after the client has the response.
	 */
	static class AfterChain extends OncePerRequestFilter {

		final AtomicReference<@Nullable Boolean> valid = new AtomicReference<>();

		boolean answer() throws InterruptedException {
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (this.valid.get() == null && System.nanoTime() < deadline) {
				Thread.sleep(5);
			}
			assertThat(this.valid.get()).as("isRequestedSessionIdValid() after the chain").isNotNull();
			return this.valid.get();
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			chain.doFilter(request, response);
			if (RECORDED.equals("?" + request.getQueryString())) {
				this.valid.set(request.isRequestedSessionIdValid());
			}
		}

	}

}
