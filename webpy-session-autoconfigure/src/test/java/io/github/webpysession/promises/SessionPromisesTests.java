package io.github.webpysession.promises;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.webpysession.promises.PromisesApplication.Gate;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import io.github.webpysession.testsupport.StoreFault;
import io.github.webpysession.web.SessionIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * The README's promises, kept on a store under contention, faults in the middle and hostile data
 * at rest, over real HTTP: issue 9's matrix. A store gets all of it by subclassing; see
 * {@link SessionPromisesFixture} for what a subclass gives.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
public abstract class SessionPromisesTests extends SessionPromisesFixture {

	private static final int CLIENTS = 16;

	private static final int WRITES_PER_CLIENT = 20;

	private static final int RACERS = 20;

	private static final int ROUNDS = 3;

	// Contention

	@Test
	void concurrentWritesOfDifferentKeysToOneSessionAreAllKept() throws Exception {
		HttpClientWithCookies browser = new HttpClientWithCookies(this.port);
		assertThat(browser.get("/put?key=seed&value=0").statusCode()).isEqualTo(200);
		List<Callable<List<Write>>> clients = new ArrayList<>();
		for (int client = 0; client < CLIENTS; client++) {
			int c = client;
			clients.add(() -> {
				List<Write> writes = new ArrayList<>();
				for (int n = 0; n < WRITES_PER_CLIENT; n++) {
					String key = String.format("k%02d_%02d", c, n);
					writes.add(Write.of(key, "" + n, browser.get("/put?key=" + key + "&value=" + n)));
				}
				return writes;
			});
		}
		List<Write> writes = race(clients).stream().flatMap(List::stream).toList();

		List<String> stored = browser.get("/keys").body().lines().toList();
		assertSoftly((softly) -> {
			softly.assertThat(writes).as("writes answered 5xx").filteredOn((write) -> write.status() >= 500).isEmpty();
			softly.assertThat(writes).as("writes answered with a new session cookie")
				.filteredOn((write) -> write.newCookie() != null)
				.isEmpty();
			softly.assertThat(stored).as("the session after %d concurrent writes", writes.size())
				.containsAll(acknowledged(writes));
		});
	}

	@Test
	void writesRacingWithARegenerateAreAllInTheRegeneratedSession() throws Exception {
		List<Write> writes = new ArrayList<>();
		List<String> missing = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			String old = newSession("seed", "0");
			Race race = raceWritesWith("/regen", old);
			assertThat(race.other().status()).as("status of /regen").isEqualTo(200);
			assertThat(race.other().newCookie()).as("cookie set by /regen").isNotNull().isNotEqualTo(old);
			List<String> stored = keys(race.other().newCookie()).lines().toList();
			acknowledged(race.writes()).stream().filter((line) -> !stored.contains(line)).forEach(missing::add);
			writes.addAll(race.writes());
		}
		assertSoftly((softly) -> {
			softly.assertThat(writes).as("requests answered 5xx").filteredOn((write) -> write.status() >= 500).isEmpty();
			softly.assertThat(missing)
				.as("acknowledged writes missing from the regenerated session, of %d", acknowledged(writes).size())
				.isEmpty();
		});
	}

	@Test
	void writesRacingWithAKillNeverAnswer5xxAndTheKilledCookieThenOpensAFreshSession() throws Exception {
		String old = newSession("seed", "0");
		Race race = raceWritesWith("/kill", old);

		assertSoftly((softly) -> {
			softly.assertThat(race.writes()).as("writes answered 5xx")
				.filteredOn((write) -> write.status() >= 500)
				.isEmpty();
			softly.assertThat(race.other().status()).as("status of /kill").isEqualTo(200);
			softly.assertThat(keys(old)).as("the killed cookie's session").isEmpty();
		});
	}

	@Test
	void aCleanupRacingWithWritesRemovesOnlyTheExpiredSessions() throws Exception {
		String expired = newSession("old", "1");
		clock().advance(TIMEOUT.plusMinutes(1));
		String live = newSession("seed", "0");
		int writers = RACERS / 2;
		CountDownLatch written = new CountDownLatch(writers);
		List<Callable<List<Write>>> tasks = new ArrayList<>();
		for (int writer = 0; writer < writers; writer++) {
			int w = writer;
			tasks.add(() -> {
				try {
					return IntStream.range(0, 10).mapToObj((n) -> {
						String key = String.format("c%02d_%02d", w, n);
						return Write.of(key, "" + n, get("/put?key=" + key + "&value=" + n, live));
					}).toList();
				}
				finally {
					written.countDown();
				}
			});
		}
		tasks.add(() -> {
			for (int run = 0; run < 20 && written.getCount() > 0; run++) {
				store().deleteAccessedBefore(clock().instant().minus(TIMEOUT));
			}
			return List.of();
		});
		List<Write> writes = race(tasks).stream().flatMap(List::stream).toList();

		assertSoftly((softly) -> {
			softly.assertThat(writes).as("writes answered 5xx").filteredOn((write) -> write.status() >= 500).isEmpty();
			softly.assertThat(keys(live).lines()).as("the live session").containsAll(acknowledged(writes));
			softly.assertThat(store().load(expired)).as("the expired session").isNull();
		});
	}

	/** {@value #RACERS} writes of {@code r00}… to the session, with {@code path} in their middle, all at once. */
	private Race raceWritesWith(String path, String cookie) throws Exception {
		List<Callable<Write>> requests = new ArrayList<>();
		for (int n = 0; n < RACERS; n++) {
			String key = String.format("r%02d", n);
			requests.add(() -> Write.of(key, "x", get("/put?key=" + key + "&value=x", cookie)));
		}
		requests.add(RACERS / 2, () -> Write.of(path, "", get(path, cookie)));
		List<Write> writes = new ArrayList<>(race(requests));
		Write other = writes.remove(RACERS / 2);
		return new Race(writes, other);
	}

	/** The lines that the writes answered 200 in the session they were sent to must have added. */
	private static List<String> acknowledged(List<Write> writes) {
		return writes.stream().filter(Write::acknowledged).map(Write::line).toList();
	}

	/**
	 * Writes raced with one other request.
	 *
	 * @param writes the writes
	 * @param other what the other request was answered
	 */
	private record Race(List<Write> writes, Write other) {

	}

	// Locks

	@Test
	void withLockAndStrictExpiryARequestThatNeverUsesItsSessionDoesNotWaitForTheLock() throws Exception {
		Map<String, String> strict = Map.of("session.lock", "true", "session.ignore-expiry", "false",
				"session.lock-timeout", "1s");
		try (ConfigurableApplicationContext locked = start(strict)) {
			int port = PromisesApplication.port(locked);
			Gate gate = locked.getBean(Gate.class);
			HttpResponse<String> created = get(port, "/put?key=a&value=1", null);
			assertThat(created.statusCode()).as("status of the write that starts a session").isEqualTo(200);
			String cookie = COOKIE + "=" + newCookie(created);
			CompletableFuture<HttpResponse<String>> holding = async(() -> get(port, "/hold", cookie));
			HttpResponse<String> plain;
			boolean heldMeanwhile;
			try {
				gate.awaitEntered();
				plain = get(port, "/plain", cookie);
				heldMeanwhile = !holding.isDone();
			}
			finally {
				gate.release();
			}
			assertThat(heldMeanwhile).as("the session was held while /plain ran").isTrue();
			assertThat(plain.statusCode()).as("status of /plain while the session is held").isEqualTo(200);
			assertThat(plain.body()).isEqualTo("plain");
			assertThat(holding.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		}
	}

	// Faults in the middle

	@ParameterizedTest(name = "{0}")
	@EnumSource(SessionOperation.class)
	void aStoreFailingDuringAnOperationAnswers503AndChangesNothingUntilItRecovers(SessionOperation operation)
			throws Exception {
		Scenario scenario = prepare(operation);
		HttpResponse<String> failed = duringFault(scenario, fault());

		HttpResponse<String> next = get("/put?key=c&value=3", scenario.cookie());
		String cookie = (scenario.cookie() != null) ? scenario.cookie() : newCookie(next);
		assertSoftly((softly) -> {
			softly.assertThat(failed.statusCode()).as("status while the store fails").isEqualTo(503);
			softly.assertThat(failed.headers().firstValue("Retry-After")).as("Retry-After while the store fails")
				.isPresent();
			softly.assertThat(sessionCookies(failed)).as("session cookies set by the failed response").isEmpty();
			softly.assertThat(next.statusCode()).as("status of the next request, the store working again")
				.isEqualTo(200);
			softly.assertThat(keys(cookie)).as("the session after recovery")
				.isEqualTo((scenario.cookie() != null) ? "a=1\nc=3" : "c=3");
		});
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(mode = EnumSource.Mode.EXCLUDE, names = "LOAD")
	void aFailedSaveAnswered503IsLoggedAsExactlyOneError(SessionOperation operation, CapturedOutput output)
			throws Exception {
		Scenario scenario = prepare(operation);
		int from = output.getOut().length();
		HttpResponse<String> failed = duringFault(scenario, fault());

		assertThat(failed.statusCode()).as("status while the store fails").isEqualTo(503);
		assertThat(logLines(output, from, "ERROR")).as("ERROR lines for one failed request").hasSize(1);
	}

	@Test
	void aRegenerateWhoseRemovalOfTheOldIdFailsLeavesTheClientOnItsSession() {
		StoreFault deleteFails = faultOf(StoreOperation.DELETE);
		assumeThat(deleteFails).as("a fault of the store's delete only").isNotNull();
		String cookie = newSession("a", "1");
		HttpResponse<String> failed;
		deleteFails.start();
		try {
			failed = get("/regen", cookie);
		}
		finally {
			deleteFails.stop();
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
	void hostileDataAtRestGivesAFreshSessionAndOneWarning(HostileSessionData data, CapturedOutput output) {
		String id = storeHostile(data);
		int from = output.getOut().length();
		HttpResponse<String> response = get("/keys", id);

		assertSoftly((softly) -> {
			softly.assertThat(response.statusCode()).as("status").isEqualTo(200);
			softly.assertThat(response.body()).as("the session's keys").isEmpty();
			softly.assertThat(logLines(output, from, "WARN")).as("WARN lines").hasSize(1);
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
	void aValueOutsideTheAllowListIsRefusedNamingItWithoutLosingTheOtherKeys(CapturedOutput output) {
		String cookie = newSession("a", "1");
		int from = output.getOut().length();
		get("/put-url", cookie);
		HttpResponse<String> next = get("/keys", cookie);

		assertSoftly((softly) -> {
			softly.assertThat(next.statusCode()).as("status of the next request").isEqualTo(200);
			softly.assertThat(next.body()).as("the session after the refused value").isEqualTo("a=1");
			softly.assertThat(output.getOut().substring(from).lines())
				.as("a log line naming the key, its class and the property that allows it")
				.anySatisfy((line) -> assertThat(line).contains("url", "java.net.URL", "session.allowed-classes"));
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
