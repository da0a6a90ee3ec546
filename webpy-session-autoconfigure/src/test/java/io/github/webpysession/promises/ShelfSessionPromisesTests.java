package io.github.webpysession.promises;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import io.github.webpysession.store.shelf.ShelfSessionStore;
import io.github.webpysession.testsupport.StoreFault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The matrix on the shelf store, each application on a file of its own (a shelf file serves one
 * store at a time).
 */
class ShelfSessionPromisesTests extends SessionPromisesTests {

	@TempDir
	static Path root;

	private int applications;

	@Override
	protected Map<String, String> storeProperties() {
		return Map.of("session.store", "shelf", "session.shelf.file",
				root.resolve("session-" + (this.applications++) + ".shelf").toString());
	}

	@Test
	void theShelfFileIsTheOwnersOnly() throws IOException {
		newSession("a", "1");
		Path file = ((ShelfSessionStore) store()).getFile();

		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
	}

	/**
	 * The shelf keeps its file open, so only its file system can fail it: full, or remounted
	 * read-only. That needs {@code testsupport/SmallFileSystem}, not landed yet.
	 */
	@Override
	protected StoreFault fault() {
		return StoreFault.unavailable("the shelf store fails only with its file system (full or read-only), "
				+ "which needs testsupport/SmallFileSystem");
	}

}
