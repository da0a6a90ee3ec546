package io.github.webpysession.sample.security;

import java.nio.file.Path;
import java.util.Map;

/** The sample's promises on {@code session.store=memory}. */
class MemorySecuritySampleTests extends SecuritySampleTests {

	@Override
	Map<String, String> storeProperties(Path directory) {
		return Map.of("session.store", "memory");
	}

}
