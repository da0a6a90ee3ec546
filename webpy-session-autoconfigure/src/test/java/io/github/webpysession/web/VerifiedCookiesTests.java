package io.github.webpysession.web;

import java.util.List;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache of verified cookie values: what it gives back, and what it never takes in.
 */
class VerifiedCookiesTests {

	private static final String KEY = "a secret key of more than 16 bytes";

	private static final String OTHER_KEY = "another secret key of 16 bytes or more";

	private final VerifiedCookies verified = new VerifiedCookies();

	@Test
	void aValueRememberedIsFoundWithWhatItReadAs() {
		SessionCookie.RequestedId id = requestedId();
		this.verified.remember("value", id);
		assertThat(this.verified.find("value")).isSameAs(id);
	}

	@Test
	void aValueNeverRememberedIsNotFound() {
		this.verified.remember("value", requestedId());
		assertThat(this.verified.find("other")).isNull();
	}

	@Test
	void aValueDifferingFromARememberedOneInItsLastCharIsNotFound() {
		this.verified.remember("value-a", requestedId());
		assertThat(this.verified.find("value-b")).isNull();
	}

	@Test
	void aCookieReadAgainGivesTheSameIdAndKey() {
		SessionCookie cookie = new SessionCookie(SessionCookie.Settings.named("s"), KEY, List.of());
		String value = signedValue(cookie);
		List<SessionCookie.RequestedId> first = cookie.readIds(requestWith(value));
		assertThat(first).hasSize(1);
		assertThat(cookie.readIds(requestWith(value))).isEqualTo(first);
		assertThat(first.get(0).key()).isEqualTo(SessionIds.digest(first.get(0).id()));
	}

	@Test
	void aTamperedCopyOfAVerifiedCookieIsRefused() {
		SessionCookie cookie = new SessionCookie(SessionCookie.Settings.named("s"), KEY, List.of());
		String value = signedValue(cookie);
		cookie.readIds(requestWith(value));
		char last = value.charAt(value.length() - 1);
		String tampered = value.substring(0, value.length() - 1) + ((last == 'A') ? 'B' : 'A');
		assertThat(cookie.readIds(requestWith(tampered))).isEmpty();
	}

	@Test
	void aCookieVerifiedUnderOldKeysIsRefusedOnceTheKeysChange() {
		SessionCookie old = new SessionCookie(SessionCookie.Settings.named("s"), KEY, List.of());
		String value = signedValue(old);
		assertThat(old.readIds(requestWith(value))).hasSize(1);
		SessionCookie renewed = new SessionCookie(SessionCookie.Settings.named("s"), OTHER_KEY, List.of());
		assertThat(renewed.readIds(requestWith(value))).isEmpty();
	}

	private static SessionCookie.RequestedId requestedId() {
		String id = SessionIds.generate();
		return new SessionCookie.RequestedId(id, false, SessionIds.digest(id));
	}

	private static String signedValue(SessionCookie cookie) {
		MockHttpServletResponse response = new MockHttpServletResponse();
		cookie.write(new MockHttpServletRequest(), response, SessionIds.generate());
		return response.getCookie("s").getValue();
	}

	private static MockHttpServletRequest requestWith(String value) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setCookies(new Cookie("s", value));
		return request;
	}

}
