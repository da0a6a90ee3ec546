package io.github.webpysession.metrics;

import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.webpysession.promises.FaultyMemorySessionStore;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.memory.MemorySessionStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** What the metered store records, beyond the scripted sequence over HTTP. */
class MeteredSessionStoreTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void aStoreThatCountsOnlyByAScanIsCountedAfterEachCleanupNeverAtAScrape() {
		ScanningStore scanning = new ScanningStore();
		MeteredSessionStore store = new MeteredSessionStore(scanning, this.registry);
		store.create("a".repeat(64), new byte[] { 1 }, NOW);
		store.create("b".repeat(64), new byte[] { 1 }, NOW.plusSeconds(60));
		assertThat(stored()).isNaN();

		store.deleteAccessedBefore(NOW.plusSeconds(1));
		stored();
		stored();

		assertThat(stored()).isEqualTo(1.0);
		assertThat(scanning.scans.get()).isEqualTo(1);
	}

	@Test
	void aFailedOperationIsTimedAsAFailureAndThrownAsItWas() {
		FaultyMemorySessionStore faulty = new FaultyMemorySessionStore();
		MeteredSessionStore store = new MeteredSessionStore(faulty, this.registry);
		faulty.fault().start();

		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> store.touch("a".repeat(64), NOW));

		assertThat(timed("touch", "failure")).isEqualTo(1);
		assertThat(timed("touch", "success")).isZero();
	}

	@Test
	void aCreateThatCollidesIsASuccessWithoutASize() {
		MeteredSessionStore store = new MeteredSessionStore(new MemorySessionStore(), this.registry);
		store.create("a".repeat(64), new byte[10], NOW);

		assertThat(store.create("a".repeat(64), new byte[20], NOW)).isFalse();

		assertThat(timed("create", "success")).isEqualTo(2);
		assertThat(this.registry.get("webpy.session.size").summary().count()).isEqualTo(1);
		assertThat(this.registry.get("webpy.session.size").summary().totalAmount()).isEqualTo(10.0);
	}

	private double stored() {
		return this.registry.get("webpy.sessions.stored").gauge().value();
	}

	private long timed(String operation, String outcome) {
		return this.registry.get("webpy.session.store")
			.tags("operation", operation, "outcome", outcome)
			.timer()
			.count();
	}

	/** A store like the JDBC one: no count without a scan. */
	static final class ScanningStore extends MemorySessionStore {

		final AtomicInteger scans = new AtomicInteger();

		@Override
		public OptionalLong count() {
			return OptionalLong.empty();
		}

		@Override
		public OptionalLong countByScan() {
			this.scans.incrementAndGet();
			return OptionalLong.of(size());
		}

	}

}
