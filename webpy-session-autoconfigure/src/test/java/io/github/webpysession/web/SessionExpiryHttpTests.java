package io.github.webpysession.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Expiry with {@code ignore-expiry} true (the default): judged when the session is
 * loaded, from its stored last access, with an injected clock and no sleeping.
 */
@TestPropertySource(properties = { "session.timeout=60", "session.max-lifetime=30m" })
class SessionExpiryHttpTests extends MemoryStoreHttpTests {

	@Test
	void aSessionUnusedForLongerThanTheTimeoutStartsAnewWithoutACleanupHavingRun() {
		this.client.get("/count");
		this.client.get("/count");
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(this.client.get("/count").body()).isEqualTo("1");
	}

	@Test
	void aSessionUsedJustWithinTheTimeoutIsKept() {
		this.client.get("/count");
		this.clock.advance(Duration.ofSeconds(59));
		assertThat(this.client.get("/count").body()).isEqualTo("2");
	}

	@Test
	void readingASessionAtLeastEveryThreeQuartersOfTheTimeoutKeepsItAliveForMuchLonger() {
		this.client.get("/count");
		for (int i = 0; i < 20; i++) {
			this.clock.advance(Duration.ofSeconds(45));
			assertThat(this.client.get("/read").body()).isEqualTo("1");
		}
		assertThat(this.client.get("/count").body()).isEqualTo("2");
	}

	@Test
	void aReadWithinAQuarterOfTheTimeoutDoesNotTouchTheStore() {
		this.client.get("/count");
		String id = this.client.get("/id").body();
		this.clock.advance(Duration.ofSeconds(10));
		this.client.get("/read");
		assertThat(this.store.load(SessionIds.digest(id)).lastAccessed())
			.isEqualTo(this.clock.instant().minusSeconds(10));
		this.clock.advance(Duration.ofSeconds(10));
		this.client.get("/read");
		assertThat(this.store.load(SessionIds.digest(id)).lastAccessed()).isEqualTo(this.clock.instant());
	}

	@Test
	void aWriteWithinAQuarterOfTheTimeoutKeepsTheStoredAccessTime() {
		this.client.get("/count");
		String id = this.client.get("/id").body();
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(this.client.get("/count").body()).isEqualTo("2");
		assertThat(this.store.load(SessionIds.digest(id)).lastAccessed())
			.isEqualTo(this.clock.instant().minusSeconds(10));
	}

	@Test
	void aWriteAfterAQuarterOfTheTimeoutStoresItsOwnTime() {
		this.client.get("/count");
		String id = this.client.get("/id").body();
		this.clock.advance(Duration.ofSeconds(16));
		this.client.get("/count");
		assertThat(this.store.load(SessionIds.digest(id)).lastAccessed()).isEqualTo(this.clock.instant());
	}

	@Test
	void writingASessionEveryTenSecondsKeepsItAliveForMuchLongerThanTheTimeout() {
		this.client.get("/count");
		for (int i = 0; i < 30; i++) {
			this.clock.advance(Duration.ofSeconds(10));
			this.client.get("/count");
		}
		assertThat(this.client.get("/read").body()).isEqualTo("31");
	}

	@Test
	void anExpiredSessionIsRemovedFromTheStoreWhenItIsLoaded() {
		this.client.get("/count");
		String id = this.client.get("/id").body();
		this.clock.advance(Duration.ofSeconds(61));
		this.client.get("/read");
		assertThat(this.store.load(SessionIds.digest(id))).isNull();
	}

	@Test
	void anActiveSessionExpiresOnceItIsOlderThanMaxLifetime() {
		this.client.get("/count");
		for (int i = 0; i < 59; i++) {
			this.clock.advance(Duration.ofSeconds(30));
			this.client.get("/count");
		}
		assertThat(this.client.get("/read").body()).isEqualTo("60");
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(this.client.get("/count").body()).isEqualTo("1");
	}

	@Test
	void maxLifetimeCountsFromCreationAcrossRegenerateId() {
		this.client.get("/count");
		for (int i = 0; i < 59; i++) {
			this.clock.advance(Duration.ofSeconds(30));
			this.client.get("/read");
		}
		this.client.get("/login");
		assertThat(this.client.get("/read").body()).isEqualTo("1");
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(this.client.get("/read").body()).isEqualTo("0");
	}

}
