package io.github.webpysession.promises;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

import io.github.webpysession.store.disk.DiskSessionStore;
import io.github.webpysession.testsupport.StoreFault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The matrix on the disk store, in a folder of its own. Its fault is the session folder replaced
 * by a regular file, which fails reads and writes alike, even for root, whom permissions do not
 * stop; a full or read-only file system ({@code testsupport/SmallFileSystem}) can replace it.
 */
class DiskSessionPromisesTests extends SessionPromisesTests {

	@TempDir
	static Path root;

	private int applications;

	@Override
	protected Map<String, String> storeProperties() {
		return Map.of("session.store", "disk", "session.disk.directory",
				root.resolve("sessions-" + (this.applications++)).toString());
	}

	@Override
	protected StoreFault fault() {
		return new FolderIsAFile(((DiskSessionStore) store()).getDirectory());
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
			assertThat(paths.toList()).allSatisfy((path) -> assertThat(
					PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
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

	/** The session folder moved away, and a regular file in its place. */
	private static final class FolderIsAFile implements StoreFault {

		private final Path directory;

		private final Path moved;

		FolderIsAFile(Path directory) {
			this.directory = directory;
			this.moved = directory.resolveSibling(directory.getFileName() + ".moved");
		}

		@Override
		public void start() {
			try {
				Files.createDirectories(this.directory);
				Files.move(this.directory, this.moved);
				Files.writeString(this.directory, "not a folder");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		@Override
		public void stop() {
			try {
				if (Files.isRegularFile(this.directory)) {
					Files.delete(this.directory);
					Files.move(this.moved, this.directory);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
