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
import io.github.webpysession.web.SessionIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * The promises that concern requests of one session at once: contention of many,
 * interleavings of two made certain by the gate, and the lock. Part of
 * {@link SessionPromisesTests}, which a store subclasses.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ConcurrencyPromises extends SessionPromisesFixture {

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
			softly.assertThat(writes)
				.as("writes answered with a new session cookie")
				.filteredOn((write) -> write.newCookie() != null)
				.isEmpty();
			softly.assertThat(stored)
				.as("the session after %d concurrent writes", writes.size())
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
			softly.assertThat(writes)
				.as("requests answered 5xx")
				.filteredOn((write) -> write.status() >= 500)
				.isEmpty();
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
			softly.assertThat(race.writes())
				.as("writes answered 5xx")
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
				expireAccessedBefore(clock().instant().minus(TIMEOUT));
			}
			return List.of();
		});
		List<Write> writes = race(tasks).stream().flatMap(List::stream).toList();

		assertSoftly((softly) -> {
			softly.assertThat(writes).as("writes answered 5xx").filteredOn((write) -> write.status() >= 500).isEmpty();
			softly.assertThat(keys(live).lines()).as("the live session").containsAll(acknowledged(writes));
			softly.assertThat(store().load(SessionIds.digest(expired))).as("the expired session").isNull();
		});
	}

	/**
	 * {@value #RACERS} writes of {@code r00}… to the session, with {@code path} in their
	 * middle, all at once.
	 */
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

	/**
	 * The lines that the writes answered 200 in the session they were sent to must have
	 * added.
	 */
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

	// Interleavings, made certain by the gate: one request loads, another completes, the
	// first saves

	@Test
	void aWriteThatLoadedBeforeARegenerateAndSavesAfterItIsInTheRegeneratedSession() throws Exception {
		String old = newSession("a", "1");

		Interleaving run = interleave("/put?key=b&value=2&gate=true", "/regen", old);

		String regenerated = newCookie(run.completed());
		assertSoftly((softly) -> {
			softly.assertThat(run.gated().statusCode()).as("status of the write").isEqualTo(200);
			softly.assertThat(newCookie(run.gated())).as("cookie set by the write").isNull();
			softly.assertThat(regenerated).as("cookie set by the regenerate").isNotNull().isNotEqualTo(old);
			softly.assertThat(keys(regenerated)).as("the regenerated session").isEqualTo("a=1\nb=2");
			softly.assertThat(keys(old)).as("the old cookie's session").isEmpty();
		});
	}

	@Test
	void aRegenerateThatLoadedBeforeAnotherRegenerateKeepsWhatWasWrittenToTheFirstNewId() throws Exception {
		String old = newSession("a", "1");
		List<HttpResponse<String>> meanwhile = new ArrayList<>();

		Interleaving run = interleave("/regen?gate=true", old, () -> {
			HttpResponse<String> first = get("/regen", old);
			meanwhile.add(get("/put?key=b&value=2", newCookie(first)));
			return first;
		});

		String first = newCookie(run.completed());
		String held = (newCookie(run.gated()) != null) ? newCookie(run.gated()) : first;
		assertSoftly((softly) -> {
			softly.assertThat(run.completed().statusCode()).as("status of the first regenerate").isEqualTo(200);
			softly.assertThat(meanwhile.get(0).statusCode()).as("status of the write to its new id").isEqualTo(200);
			softly.assertThat(run.gated().statusCode()).as("status of the second regenerate").isLessThan(500);
			softly.assertThat(keys(held)).as("the session of the cookie the client holds last").isEqualTo("a=1\nb=2");
		});
	}

	@Test
	void aRegenerateThatLoadedBeforeAKillDoesNotBringTheKilledSessionBack() throws Exception {
		String old = newSession("a", "1");

		Interleaving run = interleave("/regen?gate=true", "/kill", old);

		assertSoftly((softly) -> {
			softly.assertThat(run.completed().statusCode()).as("status of the kill").isEqualTo(200);
			softly.assertThat(run.gated().statusCode()).as("status of the regenerate").isLessThan(500);
			softly.assertThat(keys(old)).as("the killed cookie's session").isEmpty();
			softly.assertThat(keys(newCookie(run.gated())))
				.as("the session of the cookie the regenerate set")
				.isEmpty();
		});
	}

	@Test
	void aKillThatLoadedBeforeARegenerateKillsTheSessionUnderItsNewId() throws Exception {
		String old = newSession("a", "1");

		Interleaving run = interleave("/kill?gate=true", "/regen", old);

		String regenerated = newCookie(run.completed());
		assertSoftly((softly) -> {
			softly.assertThat(run.completed().statusCode()).as("status of the regenerate").isEqualTo(200);
			softly.assertThat(run.gated().statusCode()).as("status of the kill").isEqualTo(200);
			softly.assertThat(keys(regenerated)).as("the session under the regenerated id").isEmpty();
		});
	}

	/**
	 * Runs {@code gated} up to the gate, then {@code path} to its end, then the rest of
	 * {@code gated}.
	 */
	private Interleaving interleave(String gated, String path, String cookie) throws Exception {
		return interleave(gated, cookie, () -> get(path, cookie));
	}

	/**
	 * Runs {@code gated} on {@code cookie} up to the gate, then {@code meanwhile}, then
	 * the rest of {@code gated}.
	 */
	private Interleaving interleave(String gated, String cookie, Callable<HttpResponse<String>> meanwhile)
			throws Exception {
		CompletableFuture<HttpResponse<String>> first = async(() -> get(gated, cookie));
		HttpResponse<String> completed;
		try {
			gate().awaitEntered();
			completed = meanwhile.call();
		}
		finally {
			gate().release();
		}
		return new Interleaving(first.get(30, TimeUnit.SECONDS), completed);
	}

	/**
	 * What two interleaved requests were answered.
	 *
	 * @param gated the request that loaded first and saved last
	 * @param completed the request that ran whole in between
	 */
	private record Interleaving(HttpResponse<String> gated, HttpResponse<String> completed) {

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

}
