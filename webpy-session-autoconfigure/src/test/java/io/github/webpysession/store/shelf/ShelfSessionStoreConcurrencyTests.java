package io.github.webpysession.store.shelf;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.ArrayList;
import java.util.List;

import io.github.webpysession.store.StoredSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads loading, creating, updating and deleting a small shared set of sessions.
 * <p>
 * The check is exact because no id is ever created twice: a delete empties a slot, and a
 * create fills one with a new id. So the successful writes of one id are its creation at
 * version 0 and updates at versions 1, 2, ..., each at a distinct version that the
 * compare-and-set hands out once; what the store must hold in the end is the write at the
 * highest version, or nothing if the id was deleted.
 */
class ShelfSessionStoreConcurrencyTests {

	private static final int THREADS = 16;

	private static final int OPERATIONS = 10_000;

	private static final int SLOTS = 4;

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	@TempDir
	Path directory;

	/** Every successful write: id, then version, then the data written at it. */
	private final Map<String, Map<Long, String>> written = new ConcurrentHashMap<>();

	private final Set<String> deleted = ConcurrentHashMap.newKeySet();

	@Test
	void sixteenThreadsOfMixedOperationsLeaveEverySessionAsItsLastWriteLeftIt() throws Exception {
		AtomicReferenceArray<String> slots = new AtomicReferenceArray<>(SLOTS);
		try (ShelfSessionStore store = new ShelfSessionStore(this.directory.resolve("session.shelf"))) {
			for (int i = 0; i < SLOTS; i++) {
				slots.set(i, create(store, "initial " + i));
			}
			ExecutorService executor = Executors.newFixedThreadPool(THREADS);
			try {
				List<Future<?>> futures = new ArrayList<>();
				for (int t = 0; t < THREADS; t++) {
					int thread = t;
					futures.add(executor.submit(() -> work(store, slots, thread)));
				}
				for (Future<?> future : futures) {
					future.get();
				}
			}
			finally {
				executor.shutdownNow();
			}

			assertThat(this.written).hasSizeGreaterThan(SLOTS);
			assertThat(this.deleted).isNotEmpty();
			this.written.forEach((id, versions) -> {
				StoredSession loaded = store.load(id);
				if (this.deleted.contains(id)) {
					assertThat(loaded).as(id).isNull();
				}
				else {
					long last = versions.keySet().stream().mapToLong(Long::longValue).max().getAsLong();
					assertThat(loaded).as(id).isNotNull();
					assertThat(loaded.version()).as(id).isEqualTo(last);
					assertThat(text(loaded)).as(id).isEqualTo(versions.get(last));
				}
			});
		}
	}

	private Void work(ShelfSessionStore store, AtomicReferenceArray<String> slots, int thread) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int i = 0; i < OPERATIONS; i++) {
			int slot = random.nextInt(SLOTS);
			String id = slots.get(slot);
			String data = "thread " + thread + " operation " + i;
			int kind = random.nextInt(100);
			if (kind < 40) {
				load(store, id);
			}
			else if (kind < 80) {
				update(store, id, data);
			}
			else if (kind < 90) {
				store.delete(id);
				this.deleted.add(id);
			}
			else {
				slots.set(slot, create(store, data));
			}
		}
		return null;
	}

	private String create(ShelfSessionStore store, String data) {
		String id = UUID.randomUUID().toString();
		assertThat(store.create(id, bytes(data), NOW)).isTrue();
		record(id, 0, data);
		return id;
	}

	/**
	 * A loaded session holds what was written at its version, when that write is recorded
	 * yet.
	 */
	private void load(ShelfSessionStore store, String id) {
		StoredSession loaded = store.load(id);
		if (loaded != null) {
			String recorded = this.written.get(id).get(loaded.version());
			if (recorded != null) {
				assertThat(text(loaded)).isEqualTo(recorded);
			}
		}
	}

	private void update(ShelfSessionStore store, String id, String data) {
		StoredSession loaded = store.load(id);
		if (loaded != null && store.update(id, bytes(data), NOW, loaded.version())) {
			record(id, loaded.version() + 1, data);
		}
	}

	private void record(String id, long version, String data) {
		String previous = this.written.computeIfAbsent(id, (key) -> new ConcurrentHashMap<>())
			.putIfAbsent(version, data);
		assertThat(previous).as("a second successful write of %s at version %d", id, version).isNull();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(StoredSession session) {
		return new String(session.data(), StandardCharsets.UTF_8);
	}

}
