package io.github.webpysession.promises;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

import io.github.webpysession.store.disk.DiskSessionStore;
import io.github.webpysession.testsupport.SmallFileSystem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The matrix on the disk store, each application in a folder of its own on a
 * {@link SmallFileSystem} of the class's own, which its subclasses fail: full, or
 * read-only.
 */
abstract class DiskSessionPromisesTests extends SmallFileSystemPromisesTests {

	@Override
	protected Map<String, String> storeProperties() {
		return Map.of("session.store", "disk", "session.disk.directory", nextStorePath("sessions-", "").toString());
	}

	@Test
	void theCleanupLeavesFilesItDidNotWrite() throws IOException {
		Path directory = ((DiskSessionStore) store()).getDirectory();
		Path docs = write(directory.resolve("docs").resolve("important.txt"));
		Path notes = write(directory.resolve("ab").resolve("notes.md"));
		try {
			store().deleteAccessedBefore(Instant.now());

			assertThat(docs).exists();
			assertThat(notes).exists();
		}
		finally {
			Files.deleteIfExists(docs);
			Files.deleteIfExists(docs.getParent());
			Files.deleteIfExists(notes);
		}
	}

	@Test
	void sessionFilesAndTheirFoldersAreTheOwnersOnly() throws IOException {
		newSession("a", "1");
		Path directory = ((DiskSessionStore) store()).getDirectory();

		try (Stream<Path> paths = Files.walk(directory)) {
			assertThat(paths.toList())
				.allSatisfy((path) -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
					.as("permissions of %s", directory.relativize(path))
					.isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------"));
		}
	}

	private static Path write(Path file) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, "not a session");
		Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(3))));
		return file;
	}

}
