package io.github.webpysession.store.memory;

import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.SessionStoreContractTests;

class MemorySessionStoreTests extends SessionStoreContractTests {

	@Override
	protected SessionStore createStore() {
		return new MemorySessionStore();
	}

}
