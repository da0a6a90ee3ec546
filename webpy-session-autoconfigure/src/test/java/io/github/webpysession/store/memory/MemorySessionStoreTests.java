package io.github.webpysession.store.memory;

import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.PrincipalIndexContractTests;

class MemorySessionStoreTests extends PrincipalIndexContractTests {

	@Override
	protected SessionStore createStore() {
		return new MemorySessionStore();
	}

}
