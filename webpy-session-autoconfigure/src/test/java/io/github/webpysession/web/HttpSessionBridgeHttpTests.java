package io.github.webpysession.web;

import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.webpysession.store.StoredSession;
import io.github.webpysession.store.memory.MemorySessionStore;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code request.getSession()} is the starter's session: same id, cookie, data and store,
 * and lazy like it.
 */
@Import(HttpSessionBridgeHttpTests.CountingStoreConfiguration.class)
class HttpSessionBridgeHttpTests extends MemoryStoreHttpTests {

	private static final String COOKIE = "webpy_session_id";

	@Test
	void anAttributeSetThroughHttpSessionIsReadThroughSession() {
		String id = this.client.get("/http/set?key=colour&value=blue").body();

		assertThat(this.client.get("/get?key=colour").body()).isEqualTo("blue");
		assertThat(this.client.cookie(COOKIE)).isEqualTo(id);
	}

	@Test
	void anAttributeSetThroughSessionIsReadThroughHttpSession() {
		this.client.get("/set?key=colour&value=green");

		assertThat(this.client.get("/http/get?key=colour").body()).isEqualTo("green");
	}

	@Test
	void getSessionFalseIsNullForAClientWithoutASession() {
		assertThat(this.client.get("/http/get?key=colour").body()).isEqualTo("no session");
	}

	@Test
	void getSessionFalseIsNullForACookieOfAnUnknownSession() {
		this.client.setCookie(COOKIE, SessionIds.generate());

		assertThat(this.client.get("/http/get?key=colour").body()).isEqualTo("no session");
	}

	@Test
	void invalidateRemovesTheSessionFromTheStoreAndClearsTheCookie() {
		this.client.get("/http/set?key=colour&value=blue");
		String id = this.client.cookie(COOKIE);

		HttpResponse<String> response = this.client.get("/http/invalidate");

		assertThat(response.headers().allValues("Set-Cookie")).singleElement()
			.satisfies((cookie) -> assertThat(cookie).startsWith(COOKIE + "=;").contains("Max-Age=0"));
		assertThat(this.store.load(SessionIds.digest(id))).isNull();
		assertThat(this.client.get("/http/get?key=colour").body()).isEqualTo("no session");
	}

	@Test
	void changeSessionIdRegeneratesTheIdAndKeepsTheData() {
		this.client.get("/http/set?key=colour&value=blue");
		String before = this.client.cookie(COOKIE);

		String after = this.client.get("/http/change").body();

		assertThat(after).isNotEqualTo(before);
		assertThat(this.client.cookie(COOKIE)).isEqualTo(after);
		assertThat(this.client.get("/http/get?key=colour").body()).isEqualTo("blue");
	}

	@Test
	void creationAndLastAccessTimesAreTheStores() {
		this.client.get("/http/set?key=colour&value=blue");
		StoredSession stored = this.store.load(SessionIds.digest(this.client.cookie(COOKIE)));

		String[] times = this.client.get("/http/times").body().split(" ");

		assertThat(Long.parseLong(times[1])).isEqualTo(stored.lastAccessed().toEpochMilli());
		assertThat(Long.parseLong(times[0])).isLessThanOrEqualTo(Long.parseLong(times[1]));
	}

	@Test
	void theContainerNeverSetsACookieOfItsOwn() {
		HttpResponse<String> response = this.client.get("/http/set?key=colour&value=blue");
		this.client.get("/http/change");

		assertThat(response.headers().allValues("Set-Cookie")).noneMatch((cookie) -> cookie.startsWith("JSESSIONID"));
		assertThat(this.client.cookie("JSESSIONID")).isNull();
	}

	@Test
	void aFlashAttributeSurvivesTheRedirectAndOnlyThat() {
		HttpResponse<String> redirect = this.client.get("/flash/set?message=saved");
		assertThat(redirect.statusCode()).isEqualTo(302);

		assertThat(this.client.get("/flash/show").body()).isEqualTo("saved");
		assertThat(this.client.get("/flash/show").body()).isEqualTo("null");
	}

	@Test
	void aRequestThatNeverTouchesItsSessionReadsNoStoreEvenWithACookie() {
		this.client.get("/count");
		CountingStore counting = (CountingStore) this.store;
		counting.loads.set(0);

		assertThat(this.client.get("/plain").body()).isEqualTo("plain");

		assertThat(counting.loads).hasValue(0);
	}

	@Test
	void requestsThatNeverTouchTheirSessionReadNoStoreEvenAfterTheirResponse() throws InterruptedException {
		this.client.get("/count");
		CountingStore counting = (CountingStore) this.store;
		counting.loads.set(0);

		for (int i = 0; i < 20; i++) {
			this.client.get("/plain");
		}
		Thread.sleep(200);

		assertThat(counting.loads).as("Spring MVC's request-handled event asks for the session id").hasValue(0);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class CountingStoreConfiguration {

		@Bean
		CountingStore sessionStore() {
			return new CountingStore();
		}

	}

	static class CountingStore extends MemorySessionStore {

		final AtomicInteger loads = new AtomicInteger();

		@Override
		public @Nullable StoredSession load(String id) {
			this.loads.incrementAndGet();
			return super.load(id);
		}

	}

}
