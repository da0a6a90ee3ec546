package io.github.webpysession.testsupport;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A disk store's folder as a test sees it while the store's own thread frees the files
 * that writes replaced: a walk leaves out a file that goes meanwhile.
 */
public final class StoreFolder {

	private StoreFolder() {
	}

	/** The folders and files under {@code root}, {@code root} first. */
	public static List<Path> walk(Path root) throws IOException {
		List<Path> paths = new ArrayList<>();
		Files.walkFileTree(root, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
				paths.add(dir);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
				paths.add(file);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFileFailed(Path file, IOException ex) throws IOException {
				if (ex instanceof NoSuchFileException) {
					return FileVisitResult.CONTINUE;
				}
				throw ex;
			}

		});
		return paths;
	}

	/**
	 * Waits until the store has freed every file that its writes replaced: until no
	 * temporary file is left under {@code root}.
	 */
	public static void awaitFreed(Path root) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(walk(root)).noneMatch((path) -> path.toString().endsWith(".tmp")));
	}

}
