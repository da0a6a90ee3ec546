package io.github.webpysession.web;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request lifecycle over real HTTP: web.py's {@code tests/test_session.py}, ported,
 * and what the starter does better.
 */
class SessionLifecycleHttpTests extends MemoryStoreHttpTests {

	@Autowired
	TestApplication.Hold hold;

	private static final String COOKIE = "webpy_session_id";

	@Test
	void countsOneTwoThreeThenResetStartsAgainAtOne() {
		assertThat(this.client.get("/count").body()).isEqualTo("1");
		assertThat(this.client.get("/count").body()).isEqualTo("2");
		assertThat(this.client.get("/count").body()).isEqualTo("3");
		assertThat(this.client.get("/reset").statusCode()).isEqualTo(200);
		assertThat(this.client.get("/count").body()).isEqualTo("1");
	}

	@Test
	void twoInterleavedClientsKeepSeparateCounts() {
		HttpClientWithCookies other = new HttpClientWithCookies(this.port);
		assertThat(this.client.get("/count").body()).isEqualTo("1");
		assertThat(other.get("/count").body()).isEqualTo("1");
		assertThat(this.client.get("/count").body()).isEqualTo("2");
		assertThat(other.get("/count").body()).isEqualTo("2");
		assertThat(other.get("/count").body()).isEqualTo("3");
		assertThat(this.client.get("/count").body()).isEqualTo("3");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/etc/password", "\"/etc/password\"", "../../x", "..%2F..%2Fx" })
	void aForgedCookieGivesAFreshSession(String forged) {
		HttpResponse<String> response = this.client.getWithCookieHeader("/count", COOKIE + "=" + forged);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("1");
	}

	@Test
	void aCookieOf5000CharactersGivesAFreshSession() {
		HttpResponse<String> response = this.client.getWithCookieHeader("/count", COOKIE + "=" + "a".repeat(5000));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("1");
	}

	@Test
	void aWellFormedIdThatNoSessionHasGivesAFreshSessionWithAnotherId() {
		String unknown = SessionIds.generate();
		HttpResponse<String> response = this.client.getWithCookieHeader("/count", COOKIE + "=" + unknown);
		assertThat(response.body()).isEqualTo("1");
		assertThat(response.headers().firstValue("Set-Cookie"))
			.hasValueSatisfying((cookie) -> assertThat(cookie).startsWith(COOKIE + "=").doesNotContain(unknown));
	}

	@Test
	void aRedirectKeepsWhatTheHandlerStored() {
		HttpResponse<String> redirect = this.client.get("/redirect");
		assertThat(redirect.statusCode()).isEqualTo(303);
		assertThat(this.client.get("/get?key=redirected").body()).isEqualTo("yes");
	}

	@Test
	void aResponseEntityKeepsWhatTheHandlerStored() {
		assertThat(this.client.get("/entity").statusCode()).isEqualTo(201);
		assertThat(this.client.get("/get?key=entity").body()).isEqualTo("yes");
	}

	@Test
	void aViewKeepsWhatTheHandlerStoredAndCarriesTheCookie() {
		HttpResponse<String> rendered = this.client.get("/view");
		assertThat(rendered.body()).isEqualTo("rendered");
		assertThat(rendered.headers().firstValue("Set-Cookie")).isPresent();
		assertThat(this.client.get("/get?key=viewed").body()).isEqualTo("yes");
	}

	@Test
	void aHandlerThatThrowsStillSavesWhatItStoredAndSetsTheCookie() {
		HttpResponse<String> failed = this.client.get("/throw");
		assertThat(failed.statusCode()).isEqualTo(500);
		assertThat(failed.headers().firstValue("Set-Cookie")).isPresent();
		assertThat(this.client.get("/get?key=thrown").body()).isEqualTo("yes");
	}

	@Test
	void aResponseThatStreamingCommittedStillCarriesTheCookieAndIsSaved() {
		HttpResponse<String> streamed = this.client.get("/stream");
		assertThat(streamed.body()).isEqualTo("streamed");
		assertThat(streamed.headers().firstValue("Set-Cookie")).isPresent();
		assertThat(this.client.get("/get?key=streamed").body()).isEqualTo("yes");
	}

	@Test
	void aHundredReadOnlyRequestsStoreNothingAndSetNoCookie() {
		int before = this.store.size();
		for (int i = 0; i < 100; i++) {
			HttpResponse<String> response = this.client.get("/read");
			assertThat(response.body()).isEqualTo("0");
			assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
		}
		assertThat(this.store.size()).isEqualTo(before);
	}

	@Test
	void aRequestThatNeverTouchesTheSessionSetsNoCookie() {
		this.client.get("/count");
		HttpResponse<String> response = this.client.get("/plain");
		assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
	}

	@Test
	void aReadOnlyRequestOfALiveSessionWritesNothing() {
		this.client.get("/count");
		String id = this.client.get("/id").body();
		long version = this.store.load(SessionIds.digest(id)).version();
		for (int i = 0; i < 10; i++) {
			HttpResponse<String> response = this.client.get("/read");
			assertThat(response.body()).isEqualTo("1");
			assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
		}
		assertThat(this.store.load(SessionIds.digest(id)).version()).isEqualTo(version);
	}

	@Test
	void onlyTheFirstWriteOfASessionSetsTheCookie() {
		assertThat(this.client.get("/count").headers().allValues("Set-Cookie")).hasSize(1);
		assertThat(this.client.get("/count").headers().allValues("Set-Cookie")).isEmpty();
	}

	@Test
	void regenerateIdKeepsTheDataUnderANewIdAndTheOldIdOpensNothing() {
		this.client.get("/count");
		String oldId = this.client.get("/id").body();

		String newId = this.client.get("/login").body();

		assertThat(newId).isNotEqualTo(oldId);
		assertThat(this.client.cookie(COOKIE)).isEqualTo(newId);
		assertThat(this.client.get("/get?key=user").body()).isEqualTo("alice");
		assertThat(this.client.get("/read").body()).isEqualTo("1");
		assertThat(this.store.load(SessionIds.digest(oldId)).data()).as("the old id keeps only a marker of the move")
			.isEqualTo(MovedSession.to(SessionIds.digest(newId)));
		assertThat(this.client.getWithCookieHeader("/read", COOKIE + "=" + oldId).body()).isEqualTo("0");
	}

	@Test
	void theApplicationsOwnInterceptorsCanUseTheSession() {
		assertThat(this.client.get("/guarded").statusCode()).isEqualTo(403);
		this.client.get("/login");
		HttpResponse<String> guarded = this.client.get("/guarded");
		assertThat(guarded.statusCode()).isEqualTo(200);
		assertThat(guarded.body()).isEqualTo("welcome alice");
	}

	@Test
	void killRemovesTheStoredSessionAndClearsTheCookie() {
		this.client.get("/count");
		String id = this.client.get("/id").body();

		HttpResponse<String> reset = this.client.get("/reset");

		assertThat(reset.headers().firstValue("Set-Cookie"))
			.hasValueSatisfying((cookie) -> assertThat(cookie).startsWith(COOKIE + "=;").contains("Max-Age=0"));
		assertThat(this.store.load(SessionIds.digest(id))).isNull();
		assertThat(this.client.cookie(COOKIE)).isNull();
	}

	@Test
	void aSessionOverMaxSizeIsRefusedAndNothingIsStored() {
		int before = this.store.size();
		HttpResponse<String> response = this.client.get("/big?bytes=" + 2_000_000);
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(this.store.size()).isEqualTo(before);
	}

	@Test
	void twentyConcurrentRequestsOfOneSessionSettingTheirOwnKeysKeepAllTwenty() throws Exception {
		this.client.get("/count");
		ExecutorService executor = Executors.newFixedThreadPool(20);
		try {
			List<Future<HttpResponse<String>>> responses = IntStream.range(0, 20)
				.mapToObj((i) -> executor.submit(() -> this.client.get("/set?key=k" + i + "&value=v" + i)))
				.toList();
			for (Future<HttpResponse<String>> response : responses) {
				assertThat(response.get().statusCode()).isEqualTo(200);
			}
		}
		finally {
			executor.shutdownNow();
		}
		for (int i = 0; i < 20; i++) {
			assertThat(this.client.get("/get?key=k" + i).body()).isEqualTo("v" + i);
		}
	}

	@Test
	void twoConcurrentRequestsThroughOneSingletonControllerEachSeeTheirOwnSession() throws Exception {
		HttpClientWithCookies other = new HttpClientWithCookies(this.port);
		this.client.get("/set?key=name&value=mine");
		other.get("/set?key=name&value=theirs");
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			Future<HttpResponse<String>> mine = executor.submit(() -> this.client.get("/held-get?key=name"));
			Future<HttpResponse<String>> theirs = executor.submit(() -> other.get("/held-get?key=name"));
			this.hold.awaitEntered();
			this.hold.awaitEntered();
			this.hold.release();
			this.hold.release();
			assertThat(mine.get().body()).isEqualTo("mine");
			assertThat(theirs.get().body()).isEqualTo("theirs");
		}
		finally {
			executor.shutdownNow();
		}
	}

}
