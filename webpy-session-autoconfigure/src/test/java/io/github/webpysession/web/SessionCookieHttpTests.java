package io.github.webpysession.web;

import java.net.http.HttpResponse;

import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

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

}
