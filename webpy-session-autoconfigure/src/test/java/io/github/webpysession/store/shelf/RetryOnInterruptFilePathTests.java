package io.github.webpysession.store.shelf;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.webpysession.store.SessionStoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The shelf's file reopened after an interrupted thread's write closed its channel: the
 * store keeps working and keeps its file locked, and the interrupt stays the caller's.
 */
class RetryOnInterruptFilePathTests {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	@TempDir
	Path directory;

	private ShelfSessionStore store;

	@BeforeEach
	void open() {
		this.store = new ShelfSessionStore(this.directory.resolve("session.shelf"));
	}

	@AfterEach
	void close() {
		Thread.interrupted();
		this.store.close();
	}

	@Test
	void anInterruptedWriteKeepsTheInterruptForItsCaller() {
		Thread.currentThread().interrupt();
		assertThat(this.store.create(newId(), bytes("x"), T0)).isTrue();
		assertThat(Thread.interrupted()).isTrue();
	}

	@Test
	void afterAnInterruptedWriteTheFileIsStillLockedByThisStore() {
		String id = newId();
		Thread.currentThread().interrupt();
		this.store.create(id, bytes("x"), T0);
		Thread.interrupted();

		assertThatExceptionOfType(SessionStoreException.class)
			.isThrownBy(() -> new ShelfSessionStore(this.directory.resolve("session.shelf")))
			.withMessageContaining("the file is in use by another process");
		assertThat(this.store.load(id).data()).isEqualTo(bytes("x"));
	}

	@Test
	void writersInterruptedAgainAndAgainLoseNothingWhileOthersRead() throws Exception {
		List<String> ids = IntStream.range(0, 400).mapToObj((i) -> newId()).toList();
		List<CompletableFuture<Void>> writers = IntStream.range(0, 4).mapToObj((w) -> CompletableFuture.runAsync(() -> {
			for (int i = w; i < ids.size(); i += 4) {
				if (i % 3 == 0) {
					Thread.currentThread().interrupt();
				}
				assertThat(this.store.create(ids.get(i), bytes("v" + i), T0)).isTrue();
				Thread.interrupted();
				this.store.load(ids.get(i / 2));
			}
		})).toList();
		for (CompletableFuture<Void> writer : writers) {
			writer.get(60, TimeUnit.SECONDS);
		}
		for (int i = 0; i < ids.size(); i++) {
			assertThat(this.store.load(ids.get(i)).data()).isEqualTo(bytes("v" + i));
		}
	}

	private static String newId() {
		return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
