package io.github.webpysession.promises;

import java.nio.file.Path;

import io.github.webpysession.testsupport.SmallFileSystem;
import org.jspecify.annotations.Nullable;

/**
 * The matrix on a store that keeps its files on a {@link SmallFileSystem} of the class's
 * own, which a subclass's fault fills or turns read-only; each application gets a path of
 * its own on it.
 */
abstract class SmallFileSystemPromisesTests extends SessionPromisesTests {

	private @Nullable SmallFileSystem disk;

	private int applications;

	@Override
	protected void beforeApplication() {
		this.disk = SmallFileSystem.mount("16m");
	}

	@Override
	protected void afterApplication() {
		if (this.disk != null) {
			this.disk.close();
		}
	}

	SmallFileSystem disk() {
		return this.disk;
	}

	/** A path on the small file system that no earlier application of the class used. */
	Path nextStorePath(String prefix, String suffix) {
		return this.disk.root().resolve(prefix + (this.applications++) + suffix);
	}

}
