package io.github.webpysession.store.shelf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.webpysession.web.SessionIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file as sessions come and go.
 * <p>
 * Measured with 100 000 sessions of 100 bytes, created one at a time so that each write
 * is its own commit: the file peaks at about 120 MB (each commit writes the pages along
 * its key's path, and chunks keep a page or two alive), and the cleanup that removes them
 * all leaves 20 to 60 KB. The bound leaves room for a slow machine, where the cleanup's
 * compaction may stop on its time limit.
 */
class ShelfSessionStoreSizeTests {

	private static final int SESSIONS = 100_000;

	private static final long BOUND_AFTER_CLEANUP = 4 * 1024 * 1024;

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	@TempDir
	Path directory;

	@Test
	void aHundredThousandSessionsCreatedExpiredAndCleanedLeaveASmallFile() throws Exception {
		Path file = this.directory.resolve("session.shelf");
		byte[] data = new byte[100];
		Arrays.fill(data, (byte) 'x');
		AtomicLong peak = new AtomicLong();
		ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
		try (ShelfSessionStore store = new ShelfSessionStore(file)) {
			sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(size(file), Math::max), 0, 10,
					TimeUnit.MILLISECONDS);
			for (int i = 0; i < SESSIONS; i++) {
				store.create(SessionIds.generate(), data, T0);
			}

			assertThat(store.deleteAccessedBefore(T0.plusSeconds(1))).isEqualTo(SESSIONS);

			sampler.shutdown();
			sampler.awaitTermination(10, TimeUnit.SECONDS);
			long afterCleanup = size(file);
			System.out.printf("%d sessions: the file peaked at %d bytes and is %d bytes after cleanup%n", SESSIONS,
					peak.get(), afterCleanup);
			assertThat(afterCleanup).isLessThan(BOUND_AFTER_CLEANUP);
		}
		finally {
			sampler.shutdownNow();
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
