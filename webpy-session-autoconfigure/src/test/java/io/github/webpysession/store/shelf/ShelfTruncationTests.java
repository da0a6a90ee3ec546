package io.github.webpysession.store.shelf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.webpysession.store.CleanupBatches;
import io.github.webpysession.web.SessionIds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cut of a file that a cleanup emptied, which MVStore would make in one truncation
 * holding its store lock: the file's channel makes it in steps between which requests go
 * on, and a file left with its tail uncut (a process that died between two steps) opens
 * at its last commit.
 * <p>
 * 20 000 sessions of 1 KB, created one at a time, make a file of tens of MB; the cleanup
 * that removes all but a few leaves it under a megabyte.
 */
class ShelfTruncationTests {

	private static final int EXPIRED = 20_000;

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private static final Instant LATER = T0.plusSeconds(60);

	@TempDir
	Path directory;

	private Path file;

	private ShelfSessionStore store;

	private final List<String> live = new ArrayList<>();

	/** The file's size each time the cleanup let requests go on. */
	private final List<Long> sizesBetweenBatches = new ArrayList<>();

	@BeforeEach
	void paths() {
		this.file = this.directory.resolve("session.shelf");
	}

	@AfterEach
	void close() {
		if (this.store != null) {
			this.store.close();
		}
	}

	@Test
	void theCleanupCutsTheFileInStepsOfAtMostTheTruncationStep() {
		cleanUpALargeFile(() -> this.sizesBetweenBatches.add(size(this.file)));

		for (int i = 1; i < this.sizesBetweenBatches.size(); i++) {
			assertThat(this.sizesBetweenBatches.get(i - 1) - this.sizesBetweenBatches.get(i))
				.isLessThanOrEqualTo(RetryOnInterruptFilePath.TRUNCATION_STEP_BYTES);
		}
		assertThat(this.sizesBetweenBatches)
			.anyMatch((size) -> size > 2 * RetryOnInterruptFilePath.TRUNCATION_STEP_BYTES);
		assertThat(size(this.file)).isLessThan(1024 * 1024);
	}

	@Test
	void writesBetweenTheStepsOfTheCutAreKept() {
		int[] writes = { 0 };
		long[] previous = { Long.MAX_VALUE };
		cleanUpALargeFile(() -> {
			long size = size(this.file);
			if (size < previous[0] && size > RetryOnInterruptFilePath.TRUNCATION_STEP_BYTES) {
				// while the file is being cut: writes that may reach into its tail
				for (int i = 0; i < 50; i++) {
					String id = this.live.get(writes[0]++ % this.live.size());
					assertThat(this.store.update(id, data(), LATER, this.store.load(id).version())).isTrue();
				}
			}
			previous[0] = size;
		});
		this.store.close();
		this.store = new ShelfSessionStore(this.file);

		long versions = 0;
		for (String id : this.live) {
			versions += this.store.load(id).version();
		}
		assertThat(writes[0]).isPositive();
		assertThat(versions).isEqualTo(writes[0]);
		assertThat(size(this.file)).isLessThan(1024 * 1024);
	}

	@Test
	void everyWriteAcknowledgedByAnotherThreadDuringTheCutIsKept() throws Exception {
		AtomicBoolean cleaning = new AtomicBoolean(true);
		Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
		CompletableFuture<Void>[] writer = new CompletableFuture[1];
		long[] previous = { Long.MAX_VALUE };
		cleanUpALargeFile(() -> {
			long size = size(this.file);
			if (writer[0] == null && size < previous[0] && size > 2 * RetryOnInterruptFilePath.TRUNCATION_STEP_BYTES) {
				// the file has begun to shrink: a request thread writes while it is cut
				writer[0] = CompletableFuture.runAsync(() -> {
					for (int i = 0; cleaning.get(); i++) {
						String id = this.live.get(i % this.live.size());
						if (this.store.update(id, data(), LATER, this.store.load(id).version())) {
							acknowledged.merge(id, 1, Integer::sum);
						}
					}
				});
			}
			previous[0] = size;
		});
		cleaning.set(false);
		writer[0].get(30, TimeUnit.SECONDS);
		this.store.close();
		this.store = new ShelfSessionStore(this.file);

		assertThat(acknowledged.values().stream().mapToInt(Integer::intValue).sum()).isPositive();
		for (String id : this.live) {
			assertThat(this.store.load(id).version()).as(id).isEqualTo(acknowledged.getOrDefault(id, 0).longValue());
		}
		assertThat(size(this.file)).isLessThan(1024 * 1024);
	}

	@Test
	void aFileWhoseTailWasNotCutYetOpensAtItsLastCommit() {
		Path image = this.directory.resolve("image.shelf");
		long[] imageSize = { 0 };
		cleanUpALargeFile(() -> {
			long size = size(this.file);
			if (!this.sizesBetweenBatches.isEmpty()
					&& size < this.sizesBetweenBatches.get(this.sizesBetweenBatches.size() - 1)
					&& size > RetryOnInterruptFilePath.TRUNCATION_STEP_BYTES) {
				// the file as a process that died now would leave it: cut in part
				copy(this.file, image);
				imageSize[0] = size;
			}
			this.sizesBetweenBatches.add(size);
		});
		assertThat(imageSize[0]).isGreaterThan(RetryOnInterruptFilePath.TRUNCATION_STEP_BYTES);

		try (ShelfSessionStore reopened = new ShelfSessionStore(image)) {
			for (String id : this.live) {
				assertThat(reopened.load(id)).as(id).isNotNull();
			}
			String created = SessionIds.generate();
			assertThat(reopened.create(created, data(), LATER)).isTrue();
			assertThat(reopened.load(created)).isNotNull();
			reopened.deleteAccessedBefore(LATER);
		}
		assertThat(size(image)).isLessThan(1024 * 1024);
	}

	/**
	 * Fills {@link #store}, leaves a few sessions live, and cleans up the rest, running
	 * {@code between} between every two batches and steps.
	 */
	private void cleanUpALargeFile(Runnable between) {
		this.store = new ShelfSessionStore(this.file, new CleanupBatches(CleanupBatches.DEFAULT_SIZE, between));
		for (int i = 0; i < EXPIRED; i++) {
			this.store.create(SessionIds.generate(), data(), T0);
		}
		for (int i = 0; i < 5; i++) {
			String id = SessionIds.generate();
			this.store.create(id, data(), LATER);
			this.live.add(id);
		}
		assertThat(this.store.deleteAccessedBefore(T0.plusSeconds(1))).isEqualTo(EXPIRED);
	}

	private static byte[] data() {
		byte[] data = new byte[1024];
		Arrays.fill(data, (byte) 'x');
		return data;
	}

	private static void copy(Path from, Path to) {
		try {
			Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
