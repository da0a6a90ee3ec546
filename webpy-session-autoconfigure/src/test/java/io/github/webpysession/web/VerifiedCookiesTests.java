package io.github.webpysession.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

	private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

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
	void everyOtherLastCharacterOfAVerifiedCookieIsRefused() {
		SessionCookie cookie = new SessionCookie(SessionCookie.Settings.named("s"), KEY, List.of());
		String value = signedValue(cookie);
		cookie.readIds(requestWith(value));
		String stem = value.substring(0, value.length() - 1);
		char last = value.charAt(value.length() - 1);
		// three of these spell the same bytes as the genuine one to a lenient decoder
		for (char other : BASE64URL.toCharArray()) {
			if (other != last) {
				assertThat(cookie.readIds(requestWith(stem + other))).as("last character %s", other).isEmpty();
			}
		}
	}

	@Test
	void aVerifiedCookieWithPaddingAddedIsRefused() {
		SessionCookie cookie = new SessionCookie(SessionCookie.Settings.named("s"), KEY, List.of());
		String value = signedValue(cookie);
		cookie.readIds(requestWith(value));
		assertThat(cookie.readIds(requestWith(value + "="))).isEmpty();
	}

	@Test
	void aCookieVerifiedUnderOldKeysIsRefusedOnceTheKeysChange() {
		SessionCookie old = new SessionCookie(SessionCookie.Settings.named("s"), KEY, List.of());
		String value = signedValue(old);
		assertThat(old.readIds(requestWith(value))).hasSize(1);
		SessionCookie renewed = new SessionCookie(SessionCookie.Settings.named("s"), OTHER_KEY, List.of());
		assertThat(renewed.readIds(requestWith(value))).isEmpty();
	}

	@Test
	void twoValuesSharingTheirSlotsAreBothFound() {
		List<String> values = valuesSharingSlots(2);
		SessionCookie.RequestedId first = requestedId();
		SessionCookie.RequestedId second = requestedId();
		this.verified.remember(values.get(0), first);
		this.verified.remember(values.get(1), second);
		assertThat(this.verified.find(values.get(0))).isSameAs(first);
		assertThat(this.verified.find(values.get(1))).isSameAs(second);
	}

	@Test
	void aThirdValueSharingTheSlotsPushesOutTheOldest() {
		List<String> values = valuesSharingSlots(3);
		for (String value : values) {
			this.verified.remember(value, requestedId());
		}
		assertThat(this.verified.find(values.get(0))).isNull();
		assertThat(this.verified.find(values.get(1))).isNotNull();
		assertThat(this.verified.find(values.get(2))).isNotNull();
	}

	@Test
	void manyThreadsRememberingValuesThatShareSlotsNeverFindAnotherValuesId() throws Exception {
		int threads = 8;
		int perThread = VerifiedCookies.SLOTS; // sixteen values per pair of slots on
												// average
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<Integer>> wrong = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				wrong.add(pool.submit(() -> {
					int found = 0;
					for (int i = 0; i < perThread; i++) {
						String value = "value-" + thread + "-" + i;
						SessionCookie.RequestedId id = requestedId();
						this.verified.remember(value, id);
						SessionCookie.RequestedId back = this.verified.find(value);
						found += (back != null && back != id) ? 1 : 0;
					}
					return found;
				}));
			}
			for (Future<Integer> result : wrong) {
				assertThat(result.get()).as("values found with another value's id").isZero();
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aFloodOfForgedValuesNeverEntersAndLeavesTheGenuineCookieReadable() {
		SessionCookie cookie = new SessionCookie(SessionCookie.Settings.named("s"), KEY, List.of());
		String value = signedValue(cookie);
		List<SessionCookie.RequestedId> genuine = cookie.readIds(requestWith(value));
		String id = value.substring(0, value.indexOf('.'));
		for (int i = 0; i < 2 * VerifiedCookies.SLOTS; i++) {
			String forged = id + ".forged" + i;
			assertThat(cookie.readIds(requestWith(forged))).as("a forged signature").isEmpty();
			assertThat(cookie.readIds(requestWith(forged))).as("the same forgery again").isEmpty();
		}
		assertThat(cookie.readIds(requestWith(value))).isEqualTo(genuine);
	}

	/** {@code count} distinct values that land in the same pair of slots. */
	private List<String> valuesSharingSlots(int count) {
		Map<Integer, List<String>> bySlot = new HashMap<>();
		for (int i = 0;; i++) {
			String value = "value-" + i;
			List<String> sharing = bySlot.computeIfAbsent(this.verified.slot(value), (slot) -> new ArrayList<>());
			sharing.add(value);
			if (sharing.size() == count) {
				return sharing;
			}
		}
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
