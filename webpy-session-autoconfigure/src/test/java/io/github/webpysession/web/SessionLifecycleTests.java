package io.github.webpysession.web;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.webpysession.Session;
import io.github.webpysession.serializer.JavaSessionSerializer;
import io.github.webpysession.serializer.SessionData;
import io.github.webpysession.store.SessionLocks;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.store.memory.MemorySessionStore;
import io.github.webpysession.testsupport.InProcessClient;
import io.github.webpysession.testsupport.MutableClock;
import jakarta.servlet.http.Cookie;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The lifecycle's decisions that real HTTP cannot provoke on demand: requests of one
 * session interleaved step by step, and a store that fails exactly where a test says.
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionLifecycleTests {

	private static final String COOKIE = InProcessClient.COOKIE;

	private final MutableClock clock = new MutableClock();

	private final FaultyStore store = new FaultyStore();

	private final JavaSessionSerializer serializer = new JavaSessionSerializer(getClass().getClassLoader(), List.of());

	private SessionLifecycle lifecycle = InProcessClient.lifecycle(this.store, this.clock);

	@Test
	void aNewIdThatCollidesWithAStoredSessionIsReplacedAndTheCookieCarriesTheReplacement() {
		this.store.collideOnce = true;
		Exchange exchange = newClientExchange();
		exchange.session().put("count", 1);
		String firstId = exchange.session().getId();

		exchange.save();

		assertThat(exchange.session().getId()).isNotEqualTo(firstId);
		assertThat(this.store.load(SessionIds.digest(exchange.session().getId()))).isNotNull();
		assertThat(exchange.setCookies()).singleElement()
			.satisfies((header) -> assertThat(header).startsWith(COOKIE + "=" + exchange.session().getId() + ";"));
	}

	@Test
	void aSecondSaveOfTheSameRequestWritesNothingMore() {
		Exchange exchange = newClientExchange();
		exchange.session().put("count", 1);

		exchange.save();
		exchange.save();

		assertThat(this.store.writes).hasValue(1);
	}

	@Test
	void aNewSessionRegeneratedInTheSameRequestSendsOneCookieForTheFinalId() {
		Exchange exchange = newClientExchange();
		exchange.session().put("user", "alice");
		String id = exchange.session().regenerateId();

		exchange.complete();

		assertThat(exchange.setCookies()).singleElement()
			.satisfies((header) -> assertThat(header).startsWith(COOKIE + "=" + id + ";"));
	}

	@Test
	void aWriteThatLandedOnTheOldIdBeforeARegenerateSavedIsCarriedOverToTheNewId() {
		String id = storedSession(Map.of("count", 1));
		Exchange login = new Exchange(id);
		login.session().put("user", "alice");
		Exchange writer = new Exchange(id);
		writer.session().put("cart", "book");
		writer.complete();

		String newId = login.session().regenerateId();
		login.complete();

		assertThat(attributes(newId)).containsEntry("cart", "book").containsEntry("user", "alice");
	}

	@Test
	void aWriteThatLoadedBeforeARegenerateAndSavesAfterItLandsInTheNewSessionWithoutItsCookie() {
		String id = storedSession(Map.of("count", 1));
		Exchange writer = new Exchange(id);
		writer.session().get("count");
		Exchange login = new Exchange(id);
		String newId = login.session().regenerateId();
		login.complete();

		writer.session().put("cart", "book");
		writer.complete();

		assertThat(attributes(newId)).containsEntry("cart", "book").containsEntry("count", 1);
		assertThat(writer.setCookies()).as("the writer's client is not handed the new id").isEmpty();
	}

	@Test
	void aKillThatLoadedBeforeARegenerateKillsTheSessionUnderItsNewIdToo() {
		String id = storedSession(Map.of("user", "alice"));
		Exchange logout = new Exchange(id);
		logout.session().get("user");
		Exchange login = new Exchange(id);
		String newId = login.session().regenerateId();
		login.complete();

		logout.session().kill();
		logout.complete();

		assertThat(this.store.load(SessionIds.digest(newId))).isNull();
	}

	@Test
	void aRegenerateThatLoadedBeforeAKillDoesNotBringTheSessionBack() {
		String id = storedSession(Map.of("user", "alice"));
		Exchange login = new Exchange(id);
		login.session().get("user");
		Exchange logout = new Exchange(id);
		logout.session().kill();
		logout.complete();

		String newId = login.session().regenerateId();
		login.complete();

		assertThat(this.store.load(SessionIds.digest(newId))).isNull();
		assertThat(login.setCookies()).singleElement()
			.satisfies((header) -> assertThat(header).startsWith(COOKIE + "=;").contains("Max-Age=0"));
	}

	@Test
	void aRegenerateThatLoadedBeforeAnotherRegenerateCarriesOverWhatWasWrittenToTheFirstNewId() {
		String id = storedSession(Map.of("count", 1));
		Exchange second = new Exchange(id);
		second.session().put("second", "yes");
		Exchange first = new Exchange(id);
		String firstId = first.session().regenerateId();
		first.complete();
		Exchange writer = new Exchange(firstId);
		writer.session().put("written", "to the first new id");
		writer.complete();

		String secondId = second.session().regenerateId();
		second.complete();

		assertThat(attributes(secondId)).containsEntry("written", "to the first new id")
			.containsEntry("second", "yes")
			.containsEntry("count", 1);
	}

	@Test
	void theOldIdOfARegeneratedSessionOpensAFreshSession() {
		String id = storedSession(Map.of("user", "alice"));
		Exchange login = new Exchange(id);
		login.session().regenerateId();
		login.complete();

		Exchange attacker = new Exchange(id);

		assertThat(attacker.session().keys()).isEmpty();
		assertThat(attacker.session().getId()).isNotEqualTo(id);
	}

	@Test
	void theMarkerOfARegeneratedSessionIsCleanedUpSoonAfterTheMove() {
		String id = storedSession(Map.of("user", "alice"));
		Exchange login = new Exchange(id);
		login.session().regenerateId();
		login.complete();

		assertThat(this.store.deleteAccessedBefore(this.clock.instant().minus(Duration.ofHours(1)))).isZero();
		this.clock.advance(SessionWriter.MOVE_GRACE.plusSeconds(1));
		assertThat(this.store.deleteAccessedBefore(this.clock.instant().minus(Duration.ofHours(1)))).isOne();
		assertThat(this.store.load(SessionIds.digest(id))).isNull();
	}

	@Test
	void aRegenerateWhoseMoveFailsKeepsTheOldSessionAndTheClientsCookie() {
		String id = storedSession(Map.of("user", "alice"));
		Exchange login = new Exchange(id);
		String newId = login.session().regenerateId();
		this.store.failUpdates = true;

		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(login::save);

		assertThat(login.setCookies()).isEmpty();
		assertThat(attributes(id)).containsEntry("user", "alice");
		assertThat(this.store.load(SessionIds.digest(newId))).isNull();
	}

	@Test
	void aKillWhoseDeleteFailsKeepsTheClientsCookie() {
		String id = storedSession(Map.of("user", "alice"));
		Exchange logout = new Exchange(id);
		logout.session().kill();
		this.store.failDeletes = true;

		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(logout::save);

		assertThat(logout.setCookies()).isEmpty();
		assertThat(this.store.load(SessionIds.digest(id))).isNotNull();
	}

	@Test
	void aNewSessionWhoseCreateFailsSetsNoCookie() {
		Exchange exchange = newClientExchange();
		exchange.session().put("count", 1);
		this.store.failCreates = true;

		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(exchange::save);

		assertThat(exchange.setCookies()).isEmpty();
	}

	@Test
	void aSaveThatFailedIsNotTriedAgainWhenTheRequestCompletes(CapturedOutput output) {
		String id = storedSession(Map.of("count", 1));
		Exchange exchange = new Exchange(id);
		exchange.session().kill();
		this.store.failDeletes = true;
		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(exchange::save);
		int attempts = this.store.deletes.get();

		exchange.complete();

		assertThat(this.store.deletes).hasValue(attempts);
		assertThat(output).doesNotContain("could not be saved after the response was sent");
	}

	@Test
	void concurrentWritesThatKeepWinningAreRetriedUntilThisRequestsChangesAreMerged() {
		String id = storedSession(Map.of("count", 1));
		Exchange exchange = new Exchange(id);
		exchange.session().put("mine", "yes");
		this.store.concurrentWritesBeforeEachUpdate = 30;

		exchange.complete();

		assertThat(attributes(id)).containsEntry("mine", "yes").containsKey("other");
	}

	@Test
	void aStaleCookieBeforeTheLiveOneDoesNotHideTheLiveSession() {
		String id = storedSession(Map.of("user", "alice"));
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		request.setCookies(new Cookie(COOKIE, SessionIds.generate()), new Cookie(COOKIE, id));
		Exchange exchange = new Exchange(request);

		assertThat(exchange.session().getId()).isEqualTo(id);
		assertThat(exchange.session().<String>get("user")).isEqualTo("alice");
	}

	@Test
	void withALockAndExpiryJudgedFirstARequestThatNeverUsesItsSessionTakesNoLock() {
		AtomicInteger acquired = new AtomicInteger();
		SessionLocks locks = (id, maxWait) -> {
			acquired.incrementAndGet();
			return () -> {
			};
		};
		this.lifecycle = new SessionLifecycle(new SessionStorage(this.store, this.serializer, locks),
				new SessionCookie(SessionCookie.Settings.named(COOKIE), null, List.of()),
				SessionPolicy.of(Duration.ofHours(1)).withIgnoreExpiry(false).withLockTimeout(Duration.ofSeconds(1)),
				new SessionHooks(List.of(), (event) -> {
				}, this.clock));
		String id = storedSession(Map.of("count", 1));

		new Exchange(id).complete();

		assertThat(acquired).hasValue(0);
	}

	@Test
	void anUnreadableSessionStartsAFreshOneAndClearsTheCookieSoItIsReportedOnce(CapturedOutput output) {
		String id = SessionIds.generate();
		this.store.create(SessionIds.digest(id), new byte[] { (byte) 0xAC, (byte) 0xED, 0, 5, 1, 2, 3 },
				this.clock.instant());
		Exchange exchange = new Exchange(id);

		assertThat(exchange.session().keys()).isEmpty();
		exchange.complete();

		assertThat(exchange.setCookies()).singleElement()
			.satisfies((header) -> assertThat(header).startsWith(COOKIE + "=;").contains("Max-Age=0"));
		assertThat(output).containsOnlyOnce("is unreadable, starting a new one");
	}

	private String storedSession(Map<String, Object> attributes) {
		String id = SessionIds.generate();
		this.store.create(SessionIds.digest(id),
				this.serializer.serialize(new SessionData(this.clock.instant(), "127.0.0.1", attributes)),
				this.clock.instant());
		this.store.writes.set(0);
		return id;
	}

	private Map<String, Object> attributes(String id) {
		StoredSession stored = this.store.load(SessionIds.digest(id));
		assertThat(stored).as("session " + id).isNotNull();
		return this.serializer.deserialize(stored.data()).attributes();
	}

	private Exchange newClientExchange() {
		return new Exchange(requestWith(null));
	}

	/** One request and its response, run step by step. */
	private final class Exchange {

		private final MockHttpServletRequest request;

		private final MockHttpServletResponse response = new MockHttpServletResponse();

		Exchange(@Nullable String cookie) {
			this(requestWith(cookie));
		}

		Exchange(MockHttpServletRequest request) {
			this.request = request;
			SessionLifecycleTests.this.lifecycle.begin(this.request, this.response);
		}

		Session session() {
			return SessionLifecycle.current(this.request);
		}

		void save() {
			SessionLifecycleTests.this.lifecycle.save(this.request);
		}

		void complete() {
			SessionLifecycleTests.this.lifecycle.complete(this.request);
		}

		List<String> setCookies() {
			return this.response.getHeaders("Set-Cookie");
		}

	}

	private static MockHttpServletRequest requestWith(@Nullable String cookie) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		if (cookie != null) {
			request.setCookies(new Cookie(COOKIE, cookie));
		}
		return request;
	}

	/**
	 * The memory store, failing or racing exactly where a test says, and counting writes.
	 */
	private final class FaultyStore extends MemorySessionStore {

		final AtomicInteger writes = new AtomicInteger();

		final AtomicInteger deletes = new AtomicInteger();

		boolean collideOnce;

		boolean failCreates;

		boolean failUpdates;

		boolean failDeletes;

		/**
		 * How many times a concurrent request writes the session just before this
		 * request's update.
		 */
		int concurrentWritesBeforeEachUpdate;

		@Override
		public boolean create(String id, byte[] data, @Nullable String principalName, Instant now) {
			this.writes.incrementAndGet();
			if (this.failCreates) {
				throw failure();
			}
			if (this.collideOnce) {
				this.collideOnce = false;
				return false;
			}
			return super.create(id, data, principalName, now);
		}

		@Override
		public boolean update(String id, byte[] data, @Nullable String principalName, Instant now,
				long expectedVersion) {
			this.writes.incrementAndGet();
			if (this.failUpdates) {
				throw failure();
			}
			if (this.concurrentWritesBeforeEachUpdate > 0) {
				this.concurrentWritesBeforeEachUpdate--;
				StoredSession current = super.load(id);
				SessionData stored = SessionLifecycleTests.this.serializer.deserialize(current.data());
				Map<String, Object> attributes = new HashMap<>(stored.attributes());
				attributes.put("other", this.concurrentWritesBeforeEachUpdate);
				super.update(id, SessionLifecycleTests.this.serializer
					.serialize(new SessionData(stored.created(), stored.ip(), attributes)), now, current.version());
			}
			return super.update(id, data, principalName, now, expectedVersion);
		}

		@Override
		public void touch(String id, Instant now) {
			this.writes.incrementAndGet();
			super.touch(id, now);
		}

		@Override
		public void delete(String id) {
			this.deletes.incrementAndGet();
			if (this.failDeletes) {
				throw failure();
			}
			super.delete(id);
		}

		private SessionStoreException failure() {
			return new SessionStoreException("failing on purpose", new IOException("disk gone"));
		}

	}

}
