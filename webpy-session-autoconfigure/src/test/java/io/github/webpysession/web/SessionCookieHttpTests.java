package io.github.webpysession.web;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import io.github.webpysession.testsupport.MutableClock;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session cookie's attributes come from the properties.
 */
class SessionCookieHttpTests {

	static String setCookieOfFirstWrite(int port, String path) {
		HttpResponse<String> response = new HttpClientWithCookies(port).get(path);
		return response.headers().firstValue("Set-Cookie").orElseThrow();
	}

	@Nested
	@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "session.store=memory")
	class Defaults {

		@LocalServerPort
		int port;

		@Test
		void theCookieIsAHostOnlyHttpOnlyLaxBrowserSessionCookieOnTheRootPath() {
			String cookie = setCookieOfFirstWrite(this.port, "/count");
			assertThat(cookie).startsWith("webpy_session_id=")
				.contains("; Path=/", "; HttpOnly", "; SameSite=Lax")
				.doesNotContain("Domain=", "Secure", "Max-Age", "Expires");
		}

		@Test
		void theCookieCarriesTheBareIdWhenNoSecretKeyIsSet() {
			String cookie = setCookieOfFirstWrite(this.port, "/count");
			String value = cookie.substring("webpy_session_id=".length(), cookie.indexOf(';'));
			assertThat(SessionIds.isWellFormed(value)).isTrue();
		}

	}

	@Nested
	@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "session.store=memory", "session.cookie-name=sid", "session.cookie-domain=example.test",
					"session.cookie-path=/shop", "session.httponly=false", "session.secure=true",
					"session.samesite=Strict" })
	class Configured {

		@LocalServerPort
		int port;

		@Test
		void everyAttributeFollowsItsProperty() {
			String cookie = setCookieOfFirstWrite(this.port, "/count");
			assertThat(cookie).startsWith("sid=")
				.contains("; Path=/shop", "; Domain=example.test", "; Secure", "; SameSite=Strict")
				.doesNotContain("HttpOnly");
		}

	}

	@Nested
	@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "session.store=memory", "server.servlet.context-path=/app", "session.samesite=None" })
	class UnderAContextPath {

		@LocalServerPort
		int port;

		@Test
		void thePathDefaultsToTheContextPath() {
			String cookie = setCookieOfFirstWrite(this.port, "/app/count");
			assertThat(cookie).contains("; Path=/app;").contains("; SameSite=None");
		}

	}

	@Nested
	@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "session.store=memory", "session.cookie-max-age=2h", "session.timeout=1h" })
	class WithAMaxAge {

		@LocalServerPort
		int port;

		@Autowired
		MutableClock clock;

		@Test
		void theCookieCarriesTheMaxAge() {
			assertThat(setCookieOfFirstWrite(this.port, "/count")).contains("; Max-Age=7200");
		}

		@Test
		void theCookieIsSentAgainWhenTheAccessTimeIsStoredAndOnlyThen() {
			HttpClientWithCookies client = new HttpClientWithCookies(this.port);
			client.get("/count");
			String id = client.cookie("webpy_session_id");

			assertThat(client.get("/read").headers().allValues("Set-Cookie")).as("access time not due").isEmpty();
			this.clock.advance(Duration.ofMinutes(16));
			assertThat(client.get("/read").headers().allValues("Set-Cookie")).as("touch")
				.singleElement()
				.satisfies((cookie) -> assertThat(cookie).startsWith("webpy_session_id=" + id + ";")
					.contains("; Max-Age=7200"));
			assertThat(client.get("/count").headers().allValues("Set-Cookie")).as("write")
				.singleElement()
				.satisfies((cookie) -> assertThat(cookie).contains("; Max-Age=7200"));
		}

	}

}
