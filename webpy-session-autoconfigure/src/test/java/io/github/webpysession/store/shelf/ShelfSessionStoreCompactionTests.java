package io.github.webpysession.store.shelf;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cleanup's compaction of a file that writes of every size have left fragmented. H2 2.4
 * fails some of those compactions on an internal assertion where the JVM runs with
 * assertions enabled, as every Maven test run does: the cleanup's removals are committed
 * by then, so the cleanup still succeeds, and every session stays.
 */
class ShelfSessionStoreCompactionTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	@TempDir
	Path folder;

	@Test
	void aCleanupOfAFragmentedFileRemovesTheExpiredSessionsAndKeepsTheOthers() {
		Random random = new Random(1);
		try (ShelfSessionStore store = new ShelfSessionStore(this.folder.resolve("session.shelf"))) {
			List<String> live = new ArrayList<>();
			for (int round = 0; round < 3; round++) {
				for (int write = 0; write < 100; write++) {
					if (live.isEmpty() || random.nextInt(3) == 0) {
						String id = newId();
						store.create(id, new byte[random.nextInt(5000)], NOW);
						live.add(id);
					}
					else {
						String id = live.get(random.nextInt(live.size()));
						store.update(id, new byte[random.nextInt(8000)], NOW, store.load(id).version());
					}
				}
				store.create(newId(), new byte[1], NOW.minusSeconds(60));

				assertThat(store.deleteAccessedBefore(NOW)).as("sessions removed by cleanup %d", round).isEqualTo(1);
				assertThat(live).allSatisfy((id) -> assertThat(store.load(id)).as(id).isNotNull());
			}
		}
	}

	private static String newId() {
		return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
	}

}
