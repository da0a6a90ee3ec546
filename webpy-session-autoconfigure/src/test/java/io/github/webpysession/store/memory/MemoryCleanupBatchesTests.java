package io.github.webpysession.store.memory;

import io.github.webpysession.store.CleanupBatches;
import io.github.webpysession.store.CleanupBatchesContractTests;
import io.github.webpysession.store.SessionStore;

class MemoryCleanupBatchesTests extends CleanupBatchesContractTests {

	@Override
	protected SessionStore createStore(CleanupBatches batches) {
		return new MemorySessionStore(batches);
	}

}
