package io.github.webpysession.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.webpysession.promises.FaultyMemorySessionStore;
import io.github.webpysession.store.SessionStoreCleaner;
import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testapp.TestApplication.Hold;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import io.github.webpysession.testsupport.MutableClock;
import io.github.webpysession.testsupport.PrometheusScrape;
import io.github.webpysession.testsupport.RawHttp;
import io.github.webpysession.testsupport.StoreFault;
import io.github.webpysession.web.SessionIds;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The session meters as an operator scrapes them ({@code /actuator/prometheus}), after
 * each step of a session's life over real HTTP: every meter's exact value, steps that
 * succeed and steps that fail alike. With {@code session.lock} and
 * {@code ignore-change-ip=false}, a request that brings a cookie loads its session twice:
 * once to judge it before the handler, without the lock, once under the lock.
 */
@SpringBootTest(classes = { TestApplication.class, SessionMetersHttpTests.FaultyStore.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session.store=memory", "session.timeout=60m", "session.ignore-change-ip=false",
				"session.lock=true", "session.lock-timeout=300ms", "server.address=0.0.0.0",
				"management.endpoints.web.exposure.include=prometheus" })
class SessionMetersHttpTests {

	private static final String COOKIE = "webpy_session_id";

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	FaultyMemorySessionStore store;

	@Autowired
	SessionStoreCleaner cleaner;

	@Autowired
	Hold hold;

	private final ExpectedMeters expected = new ExpectedMeters("memory");

	@Test
	void everyMeterShowsExactlyWhatTheSessionsWentThrough() throws Exception {
		assertScrapeShowsExpected();

		HttpClientWithCookies alice = client();
		assertThat(alice.get("/count").body()).isEqualTo("1");
		this.expected.written(StoreOperation.CREATE, bytesOf(alice)).event("created").stored(1);
		assertScrapeShowsExpected();

		assertThat(alice.get("/read").body()).isEqualTo("1");
		this.expected.store(StoreOperation.LOAD, 2).lockWaits(1);
		assertScrapeShowsExpected();

		assertThat(alice.get("/count").body()).isEqualTo("2");
		this.expected.store(StoreOperation.LOAD, 2).lockWaits(1).written(StoreOperation.UPDATE, bytesOf(alice));
		assertScrapeShowsExpected();

		this.clock.advance(Duration.ofMinutes(16));
		alice.get("/read");
		this.expected.store(StoreOperation.LOAD, 2).lockWaits(1).store(StoreOperation.TOUCH, 1);
		assertScrapeShowsExpected();

		String before = alice.cookie(COOKIE);
		alice.get("/login");
		this.expected.store(StoreOperation.LOAD, 2)
			.lockWaits(1)
			.written(StoreOperation.CREATE, bytesOf(alice))
			.written(StoreOperation.UPDATE, bytesOfId(before))
			.event("regenerated")
			.stored(2); // the session, and the marker its old id keeps until the cleanup
		assertScrapeShowsExpected();

		alice.get("/reset");
		this.expected.store(StoreOperation.LOAD, 3)
			.lockWaits(1)
			.store(StoreOperation.DELETE, 1)
			.event("killed")
			.stored(1);
		assertScrapeShowsExpected();

		HttpClientWithCookies idle = client();
		idle.get("/count");
		this.expected.written(StoreOperation.CREATE, bytesOf(idle)).event("created");
		this.clock.advance(Duration.ofMinutes(61));
		assertThat(idle.get("/read").body()).isEqualTo("0");
		this.expected.store(StoreOperation.LOAD, 2)
			.lockWaits(1)
			.store(StoreOperation.DELETE, 1)
			.expired("timeout", 1)
			.stored(1);
		assertScrapeShowsExpected();

		String cookie = cookieOf(RawHttp.get("127.0.0.1", this.port, "/count", null));
		this.expected.written(StoreOperation.CREATE, bytesOfId(cookie.substring(cookie.indexOf('=') + 1)))
			.event("created");
		assertThat(RawHttp.get("127.0.0.2", this.port, "/read", cookie).body()).isEqualTo("Session expired");
		// Judged before the handler: loaded, found used from elsewhere, deleted. Spring's
		// FrameworkServlet then asks getSession(false) for its
		// ServletRequestHandledEvent, which knows the answer without asking the store.
		this.expected.store(StoreOperation.LOAD, 1).store(StoreOperation.DELETE, 1).expired("ip-change", 1).stored(1);
		assertScrapeShowsExpected();

		HttpClientWithCookies cleaned = client();
		cleaned.get("/count");
		this.expected.written(StoreOperation.CREATE, bytesOf(cleaned)).event("created");
		this.clock.advance(Duration.ofMinutes(61));
		assertThat(this.cleaner.cleanup()).isEqualTo(2); // that session, and the marker
		this.expected.store(StoreOperation.CLEANUP, 1).expired("timeout", 2).stored(0);
		assertScrapeShowsExpected();

		String corrupt = SessionIds.generate();
		this.store.create(SessionIds.digest(corrupt), new byte[] { 1, 2, 3 }, this.clock.instant());
		HttpClientWithCookies unlucky = client();
		unlucky.setCookie(COOKIE, corrupt);
		assertThat(unlucky.get("/read").body()).isEqualTo("0");
		this.expected.store(StoreOperation.LOAD, 2).lockWaits(1).event("unreadable").stored(1);
		assertScrapeShowsExpected();

		HttpClientWithCookies holder = client();
		holder.get("/count");
		this.expected.written(StoreOperation.CREATE, bytesOf(holder)).event("created").stored(2);
		HttpClientWithCookies waiter = client();
		waiter.setCookie(COOKIE, holder.cookie(COOKIE));
		CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> holder.get("/hold"));
		this.hold.awaitEntered();
		assertThat(waiter.get("/read").statusCode()).isEqualTo(503);
		this.hold.release();
		assertThat(held.get().body()).isEqualTo("1");
		this.expected.store(StoreOperation.LOAD, 3).lockWaits(2).lockTimeout();
		assertScrapeShowsExpected();

		StoreFault outage = this.store.fault();
		outage.start();
		assertThat(holder.get("/count").statusCode()).isEqualTo(503);
		// As after an expired answer, the handled-request event loads it once more.
		this.expected.failed(StoreOperation.LOAD).failed(StoreOperation.LOAD).lockWaits(1);
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(this.cleaner::cleanup);
		this.expected.failed(StoreOperation.CLEANUP);
		assertScrapeShowsExpected();
		outage.stop();
		assertThat(holder.get("/count").body()).isEqualTo("2");
		this.expected.store(StoreOperation.LOAD, 2).lockWaits(1).written(StoreOperation.UPDATE, bytesOf(holder));
		assertScrapeShowsExpected();
	}

	@Test
	void noTagOfAnyMeterIsASessionIdOrItsDigest() {
		HttpClientWithCookies client = client();
		client.get("/count");
		client.get("/login");
		client.get("/reset");

		assertThat(scrape()).doesNotContainPattern("[0-9a-f]{32}");
	}

	private void assertScrapeShowsExpected() {
		assertThat(PrometheusScrape.samples(scrape(), ExpectedMeters::compared)).isEqualTo(this.expected.samples());
	}

	private String scrape() {
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/prometheus"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			return response.body();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private HttpClientWithCookies client() {
		return new HttpClientWithCookies(this.port);
	}

	/** The size of what the store holds for the session of {@code client}'s cookie. */
	private int bytesOf(HttpClientWithCookies client) {
		return bytesOfId(client.cookie(COOKIE));
	}

	private int bytesOfId(String id) {
		return this.store.load(SessionIds.digest(id)).data().length;
	}

	private static String cookieOf(RawHttp.Response response) {
		String cookie = response.setCookie(COOKIE);
		assertThat(cookie).as("a session cookie in %s", response.text()).isNotNull();
		return cookie;
	}

	/** The memory store, which a test can make fail. */
	@TestConfiguration(proxyBeanMethods = false)
	static class FaultyStore {

		@Bean
		FaultyMemorySessionStore sessionStore() {
			return new FaultyMemorySessionStore();
		}

	}

}
