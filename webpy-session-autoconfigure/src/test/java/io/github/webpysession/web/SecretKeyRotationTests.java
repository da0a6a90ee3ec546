package io.github.webpysession.web;

import java.nio.file.Path;

import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotating {@code session.secret-key} across restarts of an application whose sessions
 * are on disk: the key that signed a cookie keeps opening its session as long as it is a
 * previous key.
 */
class SecretKeyRotationTests {

	private static final String COOKIE = "webpy_session_id";

	private static final String KEY_A = "the first key of more than 16 bytes";

	private static final String KEY_B = "the second key of more than 16 bytes";

	@TempDir
	Path directory;

	@Test
	void aSessionSignedWithTheOldKeyStillOpensAfterRestartingWithItAsAPreviousKey() {
		String cookie = countOnceWith("--session.secret-key=" + KEY_A);
		assertThat(readWith(cookie, "--session.secret-key=" + KEY_B, "--session.previous-secret-keys=" + KEY_A))
			.isEqualTo("1");
	}

	@Test
	void aSessionSignedWithAKeyNoLongerConfiguredOpensNothingAfterRestart() {
		String cookie = countOnceWith("--session.secret-key=" + KEY_A);
		assertThat(readWith(cookie, "--session.secret-key=" + KEY_B)).isEqualTo("0");
	}

	@Test
	void aSessionUsedWhileItsKeyIsAPreviousKeyIsSignedAgainAndOutlivesThatKey() {
		String oldCookie = countOnceWith("--session.secret-key=" + KEY_A);
		String newCookie;
		try (ConfigurableApplicationContext context = start("--session.secret-key=" + KEY_B,
				"--session.previous-secret-keys=" + KEY_A)) {
			HttpClientWithCookies client = new HttpClientWithCookies(portOf(context));
			String setCookie = client.getWithCookieHeader("/read", oldCookie)
				.headers()
				.firstValue("Set-Cookie")
				.orElseThrow();
			newCookie = setCookie.substring(0, setCookie.indexOf(';'));
		}
		assertThat(newCookie).isNotEqualTo(oldCookie);
		assertThat(newCookie.substring(0, newCookie.indexOf('.')))
			.isEqualTo(oldCookie.substring(0, oldCookie.indexOf('.')));
		assertThat(readWith(newCookie, "--session.secret-key=" + KEY_B)).isEqualTo("1");
	}

	@Test
	void aSessionSignedWithTheCurrentKeyIsNotSignedAgain() {
		String cookie = countOnceWith("--session.secret-key=" + KEY_A);
		try (ConfigurableApplicationContext context = start("--session.secret-key=" + KEY_A)) {
			HttpClientWithCookies client = new HttpClientWithCookies(portOf(context));
			assertThat(client.getWithCookieHeader("/read", cookie).headers().allValues("Set-Cookie")).isEmpty();
		}
	}

	/**
	 * Starts the application, counts once in a new session, stops it; returns the session
	 * cookie.
	 */
	private String countOnceWith(String... args) {
		try (ConfigurableApplicationContext context = start(args)) {
			HttpClientWithCookies client = new HttpClientWithCookies(portOf(context));
			assertThat(client.get("/count").body()).isEqualTo("1");
			return COOKIE + "=" + client.cookie(COOKIE);
		}
	}

	/**
	 * Starts the application, reads the count of the session {@code cookie} names, stops
	 * it.
	 */
	private String readWith(String cookie, String... args) {
		try (ConfigurableApplicationContext context = start(args)) {
			return new HttpClientWithCookies(portOf(context)).getWithCookieHeader("/read", cookie).body();
		}
	}

	private ConfigurableApplicationContext start(String... args) {
		return new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "session.store=disk",
					"session.disk.directory=" + this.directory.resolve("sessions"))
			.run(args);
	}

	private static int portOf(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
