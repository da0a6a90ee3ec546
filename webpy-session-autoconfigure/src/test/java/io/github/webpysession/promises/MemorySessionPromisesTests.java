package io.github.webpysession.promises;

import java.util.Map;

import io.github.webpysession.store.SessionStore;
import io.github.webpysession.testsupport.StoreFault;

import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The matrix on the memory store. A heap has no storage to break, so its faults are those
 * of a {@link FaultyMemorySessionStore}, which can also fail one operation alone.
 */
class MemorySessionPromisesTests extends SessionPromisesTests {

	@Override
	protected Map<String, String> storeProperties() {
		return Map.of("session.store", "memory");
	}

	@Override
	protected void customize(SpringApplicationBuilder application) {
		application.initializers((context) -> context.getBeanFactory()
			.registerSingleton("sessionStore", new FaultyMemorySessionStore()));
	}

	@Override
	protected StoreFault fault() {
		return faultyStore().fault();
	}

	@Override
	protected StoreFault faultOf(StoreOperation operation) {
		return faultyStore().fault(operation);
	}

	private FaultyMemorySessionStore faultyStore() {
		SessionStore store = store();
		return (FaultyMemorySessionStore) store;
	}

}
