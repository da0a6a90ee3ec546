package io.github.webpysession.promises;

import java.util.EnumSet;
import java.util.Set;

import io.github.webpysession.testsupport.StoreFault;

/**
 * The matrix on the disk store whose file system runs out of space: every write of a
 * session file fails, while files can still be read and deleted.
 */
class DiskFullSessionPromisesTests extends DiskSessionPromisesTests {

	@Override
	protected StoreFault fault() {
		return new StoreFault() {

			@Override
			public void start() {
				disk().fill();
			}

			@Override
			public void stop() {
				disk().empty();
			}

		};
	}

	/** What writes a file: a touch rewrites it too; a load reads, and a kill deletes. */
	@Override
	protected Set<SessionOperation> failingOperations() {
		return EnumSet.of(SessionOperation.CREATE, SessionOperation.UPDATE, SessionOperation.TOUCH,
				SessionOperation.REGENERATE);
	}

}
