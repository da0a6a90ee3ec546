package io.github.webpysession.promises;

import java.util.EnumSet;
import java.util.Set;

import io.github.webpysession.testsupport.StoreFault;

/**
 * The matrix on the disk store whose file system turns read-only: every write, rename and
 * delete fails, for root too, while the session files can still be read.
 */
class DiskReadOnlySessionPromisesTests extends DiskSessionPromisesTests {

	@Override
	protected StoreFault fault() {
		return new StoreFault() {

			@Override
			public void start() {
				disk().readOnly();
			}

			@Override
			public void stop() {
				disk().writable();
			}

		};
	}

	/** Everything but a load writes: a touch and a kill too. */
	@Override
	protected Set<SessionOperation> failingOperations() {
		return EnumSet.complementOf(EnumSet.of(SessionOperation.LOAD));
	}

}
