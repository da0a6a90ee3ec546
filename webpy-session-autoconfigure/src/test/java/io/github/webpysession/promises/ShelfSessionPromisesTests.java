package io.github.webpysession.promises;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.shelf.ShelfSessionStore;
import io.github.webpysession.testsupport.SmallFileSystem;
import io.github.webpysession.testsupport.StoreFault;
import io.github.webpysession.web.SessionIds;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * The matrix on the shelf store, each application on a file of its own (a shelf file
 * serves one store at a time) on a {@link SmallFileSystem} of the class's own, whose
 * fault is running out of space. (It cannot turn read-only while the store holds its file
 * open for writing.)
 */
class ShelfSessionPromisesTests extends SmallFileSystemPromisesTests {

	/** When the write that finds the disk full was made: it never is stored. */
	private static final Instant FILLED = Instant.EPOCH;

	@Override
	protected Map<String, String> storeProperties() {
		return Map.of("session.store", "shelf", "session.shelf.file", nextStorePath("session-", ".shelf").toString());
	}

	@Override
	protected StoreFault fault() {
		return new FullDisk((ShelfSessionStore) store());
	}

	@Test
	void theShelfFileIsTheOwnersOnly() throws IOException {
		newSession("a", "1");
		Path file = ((ShelfSessionStore) store()).getFile();

		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
	}

	/**
	 * Issue 9, defect 6: the shelf answered 503 until a restart, its file closed by the
	 * failed write.
	 */
	@Test
	void afterItsDiskWasFullTheShelfServesItsSessionsAndTakesWritesAgainWithoutARestart() {
		String before = newSession("a", "1");
		StoreFault full = fault();
		List<Integer> whileFull;
		full.start();
		try {
			whileFull = List.of(get("/put?key=b&value=2", before).statusCode(), get("/keys", before).statusCode(),
					get("/put?key=n&value=1", null).statusCode());
		}
		finally {
			full.stop();
		}

		HttpResponse<String> write = get("/put?key=c&value=3", before);
		String after = newSession("d", "4");
		assertSoftly((softly) -> {
			softly.assertThat(whileFull).as("statuses while the disk is full").containsOnly(503);
			softly.assertThat(write.statusCode()).as("status of a write once space is back").isEqualTo(200);
			softly.assertThat(keys(before)).as("the session stored before the disk was full").isEqualTo("a=1\nc=3");
			softly.assertThat(keys(after)).as("a session created once space is back").isEqualTo("d=4");
		});
	}

	/**
	 * The file system full, and the shelf hit by it: a write that needs new space fails,
	 * and MVStore closes the file. Only a write larger than the space freed inside the
	 * file needs new space (a small one reuses that space, even on a full disk), so the
	 * fault writes one larger than the whole file. It then turns the file system
	 * read-only, which the closed file now allows: on a full disk, opening the file again
	 * may or may not find room inside it for the commit that every opening makes;
	 * read-only, it never does. Every operation then fails, until the space is back.
	 */
	private final class FullDisk implements StoreFault {

		private final ShelfSessionStore store;

		FullDisk(ShelfSessionStore store) {
			this.store = store;
		}

		@Override
		public void start() {
			SmallFileSystem disk = disk();
			disk.fill();
			try {
				this.store.create(SessionIds.generate(), new byte[largerThan(this.store.getFile())], FILLED);
			}
			catch (SessionStoreException expected) {
				disk.readOnly();
				return;
			}
			throw new IllegalStateException("A write larger than the shelf file succeeded on a full disk");
		}

		@Override
		public void stop() {
			disk().repair();
		}

		private static int largerThan(Path file) {
			try {
				return Math.toIntExact(Files.size(file) + 64 * 1024);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
