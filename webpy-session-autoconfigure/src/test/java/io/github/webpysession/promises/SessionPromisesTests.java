package io.github.webpysession.promises;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.webpysession.testsupport.StoreFault;
import io.github.webpysession.testsupport.gadget.Gadget;
import io.github.webpysession.web.SessionIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * The README's promises, kept on a store under contention ({@link ConcurrencyPromises}),
 * faults in the middle and hostile data at rest, over real HTTP: issue 9's matrix. A
 * store gets all of it by subclassing; see {@link SessionPromisesFixture} for what a
 * subclass gives.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
public abstract class SessionPromisesTests extends ConcurrencyPromises {

	// Faults in the middle

	@ParameterizedTest(name = "{0}")
	@MethodSource("failingOperations")
	void aStoreFailingDuringAnOperationAnswers503AndChangesNothingUntilItRecovers(SessionOperation operation)
			throws Exception {
		Scenario scenario = prepare(operation);
		HttpResponse<String> failed = duringFault(scenario, fault());

		HttpResponse<String> next = get("/put?key=c&value=3", scenario.cookie());
		String cookie = (scenario.cookie() != null) ? scenario.cookie() : newCookie(next);
		assertSoftly((softly) -> {
			softly.assertThat(failed.statusCode()).as("status while the store fails").isEqualTo(503);
			softly.assertThat(failed.headers().firstValue("Retry-After"))
				.as("Retry-After while the store fails")
				.isPresent();
			softly.assertThat(sessionCookies(failed)).as("session cookies set by the failed response").isEmpty();
			softly.assertThat(next.statusCode())
				.as("status of the next request, the store working again")
				.isEqualTo(200);
			softly.assertThat(keys(cookie))
				.as("the session after recovery")
				.isEqualTo((scenario.cookie() != null) ? "a=1\nc=3" : "c=3");
		});
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("failingSaves")
	void aFailedSaveAnswered503IsLoggedAsExactlyOneError(SessionOperation operation, CapturedOutput output)
			throws Exception {
		Scenario scenario = prepare(operation);
		int from = output.getOut().length();
		HttpResponse<String> failed = duringFault(scenario, fault());

		assertThat(failed.statusCode()).as("status while the store fails").isEqualTo(503);
		assertThat(logLines(output, from, "ERROR")).as("ERROR lines for one failed request").hasSize(1);
	}

	@ParameterizedTest(name = "{0}", allowZeroInvocations = true)
	@MethodSource("sparedOperations")
	void anOperationThatTheFaultSparesIsAnsweredAsUsualDuringIt(SessionOperation operation) throws Exception {
		Scenario scenario = prepare(operation);
		HttpResponse<String> spared = duringFault(scenario, fault());

		HttpResponse<String> next = get("/put?key=c&value=3", scenario.cookie());
		assertSoftly((softly) -> {
			softly.assertThat(spared.statusCode()).as("status while the store fails").isEqualTo(200);
			softly.assertThat(next.statusCode())
				.as("status of the next request, the store working again")
				.isEqualTo(200);
		});
	}

	/**
	 * A regenerate stores the session under its new id, then turns the old id into a
	 * marker: when that second write fails, the new id is removed again and the client
	 * keeps its cookie.
	 */
	@Test
	void aRegenerateWhoseMoveOffTheOldIdFailsLeavesTheClientOnItsSession() {
		StoreFault updateFails = faultOf(StoreOperation.UPDATE);
		assumeThat(updateFails).as("a fault of the store's update only").isNotNull();
		String cookie = newSession("a", "1");
		HttpResponse<String> failed;
		updateFails.start();
		try {
			failed = get("/regen", cookie);
		}
		finally {
			updateFails.stop();
		}
		assertSoftly((softly) -> {
			softly.assertThat(failed.statusCode()).as("status of the failed regenerate").isEqualTo(503);
			softly.assertThat(sessionCookies(failed)).as("session cookies set by the failed regenerate").isEmpty();
			softly.assertThat(keys(cookie)).as("the session after recovery").isEqualTo("a=1");
		});
	}

	// Hostile data at rest

	@ParameterizedTest(name = "{0}")
	@EnumSource(HostileSessionData.class)
	void hostileDataAtRestGivesAFreshSessionOneWarningAndClearsTheCookie(HostileSessionData data,
			CapturedOutput output) {
		String id = storeHostile(data);
		int from = output.getOut().length();
		HttpResponse<String> response = get("/keys", id);

		assertSoftly((softly) -> {
			softly.assertThat(response.statusCode()).as("status").isEqualTo(200);
			softly.assertThat(response.body()).as("the session's keys").isEmpty();
			softly.assertThat(logLines(output, from, "WARN")).as("WARN lines").hasSize(1);
			softly.assertThat(sessionCookies(response))
				.as("session cookies set, so that the client stops sending it")
				.singleElement()
				.satisfies((cookie) -> assertThat(cookie).startsWith(COOKIE + "=;").contains("Max-Age=0"));
		});
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(HostileSessionData.class)
	void hostileDataAtRestNeverAnswers5xxAndAWriteStartsANewSession(HostileSessionData data) {
		String id = storeHostile(data);
		List<Integer> reads = IntStream.range(0, 3).mapToObj((i) -> get("/keys", id).statusCode()).toList();
		HttpResponse<String> write = get("/put?key=a&value=1", id);

		assertSoftly((softly) -> {
			softly.assertThat(reads).as("statuses of repeated reads").containsOnly(200);
			softly.assertThat(write.statusCode()).as("status of a write").isEqualTo(200);
			softly.assertThat(newCookie(write)).as("cookie set by the write").isNotNull().isNotEqualTo(id);
			if (newCookie(write) != null) {
				softly.assertThat(keys(newCookie(write))).as("the new session").isEqualTo("a=1");
			}
		});
	}

	@Test
	void aForeignClassAtRestIsNeverInstantiated() {
		Gadget.deserialized = false;
		String id = storeHostile(HostileSessionData.FOREIGN_CLASS);

		get("/keys", id);

		assertThat(Gadget.deserialized).as("the gadget was deserialized").isFalse();
	}

	/**
	 * {@code put} refuses the value with an UnstorableValueException, an
	 * IllegalArgumentException: a mistake of the application's, answered 500 by Spring's
	 * default, with a message saying how to fix it (the error page of
	 * {@link PromisesApplication} shows it). What the session held stays.
	 */
	@Test
	void aValueOutsideTheAllowListIsRefusedWhenPutNamingItAndTheSessionKeepsItsOtherKeys() {
		String cookie = newSession("a", "1");
		HttpResponse<String> refused = get("/put-url", cookie);
		HttpResponse<String> next = get("/keys", cookie);

		assertSoftly((softly) -> {
			softly.assertThat(refused.statusCode()).as("status of the put of a refused value").isEqualTo(500);
			softly.assertThat(refused.body())
				.as("the error's message: the key, its class, the property that allows it")
				.contains("'url'", "java.net.URL", "session.allowed-classes");
			softly.assertThat(sessionCookies(refused)).as("session cookies set by the refused put").isEmpty();
			softly.assertThat(next.statusCode()).as("status of the next request").isEqualTo(200);
			softly.assertThat(next.body()).as("the session after the refused value").isEqualTo("a=1");
		});
	}

	private String storeHostile(HostileSessionData data) {
		String id = SessionIds.generate();
		storeAtRest(id, data.bytes());
		return id;
	}

	// Cookies

	@Test
	void aStaleCookieBeforeTheLiveOneDoesNotHideIt() {
		String live = newSession("a", "1");
		String stale = SessionIds.generate();

		HttpResponse<String> response = get(this.port, "/keys", COOKIE + "=" + stale + "; " + COOKIE + "=" + live);

		assertThat(response.body()).isEqualTo("a=1");
	}

	@Test
	void aNewSessionRegeneratedInTheRequestThatCreatesItSendsOneSessionCookie() {
		HttpResponse<String> login = get("/login", null);

		assertThat(sessionCookies(login)).hasSize(1);
		assertThat(keys(newCookie(login))).isEqualTo("user=alice");
	}

	@Test
	void aSessionRegeneratedTwiceInOneRequestSendsOneSessionCookie() {
		String cookie = newSession("a", "1");

		HttpResponse<String> regenerated = get("/regen?times=2", cookie);

		assertThat(sessionCookies(regenerated)).hasSize(1);
		assertThat(keys(newCookie(regenerated))).isEqualTo("a=1");
		assertThat(keys(cookie)).isEmpty();
	}

}
