package io.github.webpysession.store.shelf;

import java.nio.file.Path;

import io.github.webpysession.store.CleanupBatches;
import io.github.webpysession.store.CleanupBatchesContractTests;
import io.github.webpysession.store.SessionStore;
import org.junit.jupiter.api.io.TempDir;

class ShelfCleanupBatchesTests extends CleanupBatchesContractTests {

	@TempDir
	Path directory;

	@Override
	protected SessionStore createStore(CleanupBatches batches) {
		return new ShelfSessionStore(this.directory.resolve("session.shelf"), batches);
	}

	@Override
	protected void closeStore(SessionStore store) {
		((ShelfSessionStore) store).close();
	}

}
