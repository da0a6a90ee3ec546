package io.github.webpysession.store.disk;

import java.nio.file.Path;

import io.github.webpysession.store.CleanupBatches;
import io.github.webpysession.store.CleanupBatchesContractTests;
import io.github.webpysession.store.SessionStore;
import org.junit.jupiter.api.io.TempDir;

class DiskCleanupBatchesTests extends CleanupBatchesContractTests {

	@TempDir
	Path directory;

	/** The disk store cleans up on the requests' own cores and disk. */
	@Override
	protected boolean restsBetweenBatches() {
		return true;
	}

	@Override
	protected SessionStore createStore(CleanupBatches batches) {
		return new DiskSessionStore(this.directory.resolve("sessions"), batches);
	}

}
