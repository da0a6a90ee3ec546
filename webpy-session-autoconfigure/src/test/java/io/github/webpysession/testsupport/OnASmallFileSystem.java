package io.github.webpysession.testsupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Tests of a store on a {@link SmallFileSystem} of 2 MB that the test class mounts for
 * itself, and fills, empties or turns read-only as its tests need.
 */
public abstract class OnASmallFileSystem {

	/**
	 * The class's file system, mounted before its first test and unmounted after its
	 * last.
	 */
	protected static SmallFileSystem disk;

	@BeforeAll
	static void mountSmallFileSystem() {
		disk = SmallFileSystem.mount("2m");
	}

	@AfterAll
	static void unmountSmallFileSystem() {
		if (disk != null) {
			disk.close();
		}
	}

}
