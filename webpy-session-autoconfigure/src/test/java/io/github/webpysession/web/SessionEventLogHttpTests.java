package io.github.webpysession.web;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.webpysession.testsupport.HttpClientWithCookies;
import io.github.webpysession.testsupport.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lifecycle's DEBUG log: one line per event, naming the session by its digest's first
 * characters, never by the id a cookie carries.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { "logging.level.io.github.webpysession.event=DEBUG", "session.timeout=60m",
		"session.ignore-change-ip=false", "server.address=0.0.0.0" })
class SessionEventLogHttpTests extends MemoryStoreHttpTests {

	private static final String COOKIE = "webpy_session_id";

	@Test
	void everyEventIsLoggedByItsDigestAndNoLineHoldsAnId(CapturedOutput output) throws IOException {
		List<String> ids = new ArrayList<>();
		this.client.get("/count");
		ids.add(this.client.cookie(COOKIE));
		this.client.get("/login");
		ids.add(this.client.cookie(COOKIE));
		this.client.get("/reset");
		HttpClientWithCookies idle = new HttpClientWithCookies(this.port);
		idle.get("/count");
		ids.add(idle.cookie(COOKIE));
		this.clock.advance(Duration.ofMinutes(61));
		idle.get("/read");
		String cookie = RawHttp.get("127.0.0.1", this.port, "/count", null).setCookie(COOKIE);
		ids.add(cookie.substring(cookie.indexOf('=') + 1));
		RawHttp.get("127.0.0.2", this.port, "/read", cookie);

		String first = logged(ids.get(0));
		String second = logged(ids.get(1));
		assertThat(output).contains("Session " + first + "… created in memory session store",
				"Session " + second + "… regenerated from " + first + "…", "Session " + second + "… killed",
				"Session " + logged(ids.get(2)) + "… expired (TIMEOUT)",
				"Session " + logged(ids.get(3)) + "… expired (IP_CHANGED)");
		ids.forEach((id) -> assertThat(output).doesNotContain(id, id.substring(0, 16)));
	}

	/** How the log names the session {@code id}: its digest's first eight characters. */
	private static String logged(String id) {
		return SessionIds.digest(id).substring(0, 8);
	}

}
