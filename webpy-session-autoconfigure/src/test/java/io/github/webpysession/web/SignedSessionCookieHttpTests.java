package io.github.webpysession.web;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.store.memory.MemorySessionStore;
import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code session.secret-key} over real HTTP: the cookie carries a signature, and a cookie
 * whose signature fails never reaches the store.
 */
@SpringBootTest(classes = { TestApplication.class, SignedSessionCookieHttpTests.CountingStoreConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "session.secret-key=" + SignedSessionCookieHttpTests.KEY)
class SignedSessionCookieHttpTests {

	static final String KEY = "a secret key of more than 16 bytes";

	private static final String COOKIE = "webpy_session_id";

	@LocalServerPort
	int port;

	@Autowired
	CountingStore store;

	HttpClientWithCookies client;

	@BeforeEach
	void newClient() {
		this.client = new HttpClientWithCookies(this.port);
	}

	@Test
	void theCookieIsTheIdADotAndTheHmacSha256OfTheIdUnderTheKey() throws Exception {
		this.client.get("/count");
		String id = this.client.get("/id").body();
		assertThat(this.client.cookie(COOKIE)).isEqualTo(id + "." + hmac(id));
	}

	@Test
	void aCookieWithAWrongSignatureCountsAsAbsentWithoutAskingTheStore() {
		this.client.get("/count");
		String signed = this.client.cookie(COOKIE);
		int dot = signed.indexOf('.');
		char first = signed.charAt(dot + 1);
		String forged = signed.substring(0, dot + 1) + ((first != 'A') ? 'A' : 'B') + signed.substring(dot + 2);
		int loads = this.store.loads.get();

		HttpResponse<String> response = this.client.getWithCookieHeader("/read", COOKIE + "=" + forged);

		assertThat(response.body()).isEqualTo("0");
		assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
		assertThat(this.store.loads).hasValue(loads);
	}

	@Test
	void anotherSpellingOfTheSameSignatureBytesCountsAsAbsentWithoutAskingTheStore() {
		this.client.get("/count");
		String signed = this.client.cookie(COOKIE);
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		int last = alphabet.indexOf(signed.charAt(signed.length() - 1));
		// the last of 43 characters carries 2 spare bits: a lenient decoder reads both
		// alike
		String respelled = signed.substring(0, signed.length() - 1) + alphabet.charAt(last | 1);
		int loads = this.store.loads.get();

		for (String variant : new String[] { respelled, signed + "=" }) {
			HttpResponse<String> response = this.client.getWithCookieHeader("/read", COOKIE + "=" + variant);
			assertThat(response.body()).as(variant).isEqualTo("0");
		}
		assertThat(this.store.loads).hasValue(loads);
	}

	@Test
	void theBareIdOfAStoredSessionCountsAsAbsentWithoutAskingTheStore() {
		this.client.get("/count");
		String id = this.client.get("/id").body();
		int loads = this.store.loads.get();

		assertThat(this.client.getWithCookieHeader("/read", COOKIE + "=" + id).body()).isEqualTo("0");
		assertThat(this.store.loads).hasValue(loads);
	}

	@Test
	void theSignatureOfOneSessionDoesNotOpenAnother() {
		this.client.get("/count");
		String signature = this.client.cookie(COOKIE).substring(SessionIds.LENGTH + 1);
		HttpClientWithCookies other = new HttpClientWithCookies(this.port);
		other.get("/count");
		String otherId = other.get("/id").body();
		int loads = this.store.loads.get();

		assertThat(this.client.getWithCookieHeader("/read", COOKIE + "=" + otherId + "." + signature).body())
			.isEqualTo("0");
		assertThat(this.store.loads).hasValue(loads);
	}

	private static String hmac(String id) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(mac.doFinal(id.getBytes(StandardCharsets.US_ASCII)));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class CountingStoreConfiguration {

		@Bean
		CountingStore countingStore() {
			return new CountingStore();
		}

	}

	/** A memory store that counts how often a session is looked up. */
	static final class CountingStore implements SessionStore {

		final AtomicInteger loads = new AtomicInteger();

		private final MemorySessionStore delegate = new MemorySessionStore();

		@Override
		public @Nullable StoredSession load(String id) {
			this.loads.incrementAndGet();
			return this.delegate.load(id);
		}

		@Override
		public boolean create(String id, byte[] data, Instant now) {
			return this.delegate.create(id, data, now);
		}

		@Override
		public boolean update(String id, byte[] data, Instant now, long expectedVersion) {
			return this.delegate.update(id, data, now, expectedVersion);
		}

		@Override
		public void touch(String id, Instant now) {
			this.delegate.touch(id, now);
		}

		@Override
		public void delete(String id) {
			this.delegate.delete(id);
		}

		@Override
		public int deleteAccessedBefore(Instant cutoff) {
			return this.delegate.deleteAccessedBefore(cutoff);
		}

	}

}
