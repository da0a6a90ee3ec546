package io.github.webpysession.web;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.webpysession.event.SessionCreatedEvent;
import io.github.webpysession.event.SessionEvent;
import io.github.webpysession.event.SessionExpiredEvent;
import io.github.webpysession.event.SessionKilledEvent;
import io.github.webpysession.event.SessionRegeneratedEvent;
import io.github.webpysession.event.SessionsCleanedEvent;
import io.github.webpysession.store.SessionStoreCleaner;
import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testsupport.RawHttp;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session lifecycle's application events, as a listener bean receives them.
 */
@SpringBootTest(classes = { TestApplication.class, SessionEventsHttpTests.RecordedEvents.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "session.store=memory", "session.timeout=60m",
				"session.max-lifetime=30m", "session.ignore-change-ip=false", "server.address=0.0.0.0" })
class SessionEventsHttpTests extends MemoryStoreHttpTests {

	@Autowired
	RecordedEvents events;

	@Test
	void theFirstWriteOfASessionPublishesSessionCreated() {
		this.client.get("/count");
		String id = this.client.get("/id").body();
		assertThat(this.events.about(id)).singleElement()
			.isInstanceOfSatisfying(SessionCreatedEvent.class,
					(created) -> assertThat(created.getStore()).isSameAs(this.store));
	}

	@Test
	void aSessionNothingIsWrittenToPublishesNothing() {
		String id = this.client.get("/id").body();
		assertThat(this.events.about(id)).isEmpty();
	}

	@Test
	void regenerateIdPublishesSessionRegeneratedWithBothIds() {
		this.client.get("/count");
		String oldId = this.client.get("/id").body();

		String newId = this.client.get("/login").body();

		assertThat(this.events.about(newId)).singleElement()
			.isInstanceOfSatisfying(SessionRegeneratedEvent.class,
					(regenerated) -> assertThat(regenerated.getPreviousId()).isEqualTo(SessionIds.digest(oldId)));
	}

	@Test
	void killPublishesSessionKilled() {
		this.client.get("/count");
		String id = this.client.get("/id").body();

		this.client.get("/reset");

		assertThat(this.events.about(id)).last().isInstanceOf(SessionKilledEvent.class);
	}

	@Test
	void aSessionFoundIdleForLongerThanTheTimeoutPublishesSessionExpired() {
		this.client.get("/count");
		String id = this.client.get("/id").body();
		this.clock.advance(Duration.ofMinutes(61));

		this.client.get("/read");

		assertThat(this.events.expiries(id)).containsExactly(SessionExpiredEvent.Reason.TIMEOUT);
	}

	@Test
	void aSessionFoundOlderThanMaxLifetimePublishesSessionExpired() {
		this.client.get("/count");
		String id = this.client.get("/id").body();
		this.clock.advance(Duration.ofMinutes(31));

		this.client.get("/read");

		assertThat(this.events.expiries(id)).containsExactly(SessionExpiredEvent.Reason.MAX_LIFETIME);
	}

	@Test
	void aSessionUsedFromAnotherAddressPublishesSessionExpired() throws IOException {
		String cookie = SessionIpBindingHttpTests.cookieOf(RawHttp.get("127.0.0.1", this.port, "/count", null));
		String id = cookie.substring(cookie.indexOf('=') + 1);

		RawHttp.get("127.0.0.2", this.port, "/read", cookie);

		assertThat(this.events.expiries(id)).containsExactly(SessionExpiredEvent.Reason.IP_CHANGED);
	}

	@Test
	void theCleanupPublishesHowManySessionsItRemoved(@Autowired SessionStoreCleaner cleaner) {
		this.client.get("/count");
		this.clock.advance(Duration.ofMinutes(61));

		int removed = cleaner.cleanup();

		assertThat(removed).isPositive();
		assertThat(this.events.all).last().isInstanceOfSatisfying(SessionsCleanedEvent.class, (cleaned) -> {
			assertThat(cleaned.getCount()).isEqualTo(removed);
			assertThat(cleaned.getStore()).isSameAs(this.store);
		});
	}

	/** A listener that keeps every session event it receives. */
	@TestConfiguration(proxyBeanMethods = false)
	static class RecordedEvents {

		final List<ApplicationEvent> all = new CopyOnWriteArrayList<>();

		@EventListener({ SessionEvent.class, SessionsCleanedEvent.class })
		void record(ApplicationEvent event) {
			this.all.add(event);
		}

		List<SessionEvent> about(String id) {
			return this.all.stream()
				.filter((event) -> event instanceof SessionEvent session
						&& session.getSessionId().equals(SessionIds.digest(id)))
				.map(SessionEvent.class::cast)
				.toList();
		}

		List<SessionExpiredEvent.Reason> expiries(String id) {
			return about(id).stream()
				.filter(SessionExpiredEvent.class::isInstance)
				.map((event) -> ((SessionExpiredEvent) event).getReason())
				.toList();
		}

	}

}
