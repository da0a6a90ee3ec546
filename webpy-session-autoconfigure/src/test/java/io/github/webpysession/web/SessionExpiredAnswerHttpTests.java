package io.github.webpysession.web;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Expiry with {@code ignore-expiry} false: web.py's expired answer before the handler
 * runs.
 */
@TestPropertySource(properties = { "session.timeout=60", "session.ignore-expiry=false",
		"session.expired-message=Your session expired – please log in again" })
class SessionExpiredAnswerHttpTests extends MemoryStoreHttpTests {

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
