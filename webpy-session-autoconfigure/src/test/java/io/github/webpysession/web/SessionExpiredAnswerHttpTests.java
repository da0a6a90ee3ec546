package io.github.webpysession.web;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.webpysession.store.memory.MemorySessionStore;
import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import io.github.webpysession.testsupport.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Expiry with {@code ignore-expiry} false: web.py's expired answer before the handler runs.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session.store=memory", "session.timeout=60", "session.ignore-expiry=false",
				"session.expired-message=Your session expired – please log in again" })
class SessionExpiredAnswerHttpTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	MemorySessionStore store;

	HttpClientWithCookies client;

	@BeforeEach
	void newClient() {
		this.client = new HttpClientWithCookies(this.port);
	}

	@Test
	void anExpiredSessionIsAnsweredWith200TheMessageAndAClearedCookie() {
		this.client.get("/count");
		this.clock.advance(Duration.ofSeconds(61));

		HttpResponse<String> response = this.client.get("/count");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("Your session expired – please log in again");
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
		assertThat(response.headers().firstValue("Set-Cookie"))
			.hasValueSatisfying((cookie) -> assertThat(cookie).contains("Max-Age=0"));
		assertThat(this.client.cookie("webpy_session_id")).isNull();
	}

	@Test
	void anExpiredSessionIsDeletedFromTheStore() {
		this.client.get("/count");
		String id = this.client.get("/id").body();
		this.clock.advance(Duration.ofSeconds(61));
		this.client.get("/count");
		assertThat(this.store.load(id)).isNull();
	}

	@Test
	void theHandlerDoesNotRunForAnExpiredSession() {
		this.client.get("/count");
		this.clock.advance(Duration.ofSeconds(61));
		int before = this.store.size();
		this.client.get("/count");
		assertThat(this.store.size()).isEqualTo(before - 1);
	}

	@Test
	void anUnknownSessionIdIsAnsweredAsExpired() {
		HttpResponse<String> response = this.client.getWithCookieHeader("/count",
				"webpy_session_id=" + SessionIds.generate());
		assertThat(response.body()).isEqualTo("Your session expired – please log in again");
	}

	@Test
	void afterTheExpiredAnswerTheClientStartsANewSession() {
		this.client.get("/count");
		this.clock.advance(Duration.ofSeconds(61));
		this.client.get("/count");
		assertThat(this.client.get("/count").body()).isEqualTo("1");
	}

	@Test
	void aLiveSessionIsServedNormally() {
		this.client.get("/count");
		this.clock.advance(Duration.ofSeconds(59));
		assertThat(this.client.get("/count").body()).isEqualTo("2");
	}

	@Test
	void aRequestWithoutACookieIsNeverAnsweredAsExpired() {
		assertThat(this.client.get("/count").body()).isEqualTo("1");
	}

}
