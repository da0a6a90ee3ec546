package io.github.webpysession.web;

import java.io.IOException;

import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testsupport.RawHttp;
import io.github.webpysession.testsupport.RawHttp.Response;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ignore-change-ip=false}: a session used from another client address has expired.
 * The server listens on every address; the clients connect from 127.0.0.1 and 127.0.0.2.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session.store=memory", "session.ignore-change-ip=false", "server.address=0.0.0.0" })
class SessionIpBindingHttpTests {

	@LocalServerPort
	int port;

	@Test
	void aSessionUsedFromTheAddressThatStartedItIsKept() throws IOException {
		String cookie = cookieOf(RawHttp.get("127.0.0.1", this.port, "/count", null));
		assertThat(RawHttp.get("127.0.0.1", this.port, "/count", cookie).body()).isEqualTo("2");
	}

	@Test
	void aSessionUsedFromAnotherAddressHasExpired() throws IOException {
		String cookie = cookieOf(RawHttp.get("127.0.0.1", this.port, "/count", null));

		Response response = RawHttp.get("127.0.0.2", this.port, "/count", cookie);

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("Session expired");
		assertThat(response.head()).contains("Max-Age=0");
	}

	@Test
	void aSessionUsedFromAnotherAddressIsGoneForTheFirstAddressToo() throws IOException {
		String cookie = cookieOf(RawHttp.get("127.0.0.1", this.port, "/count", null));
		RawHttp.get("127.0.0.2", this.port, "/count", cookie);
		assertThat(RawHttp.get("127.0.0.1", this.port, "/count", cookie).body()).isEqualTo("1");
	}

	static String cookieOf(Response response) {
		String cookie = response.setCookie("webpy_session_id");
		assertThat(cookie).as("a session cookie in %s", response.text()).isNotNull();
		return cookie;
	}

}
