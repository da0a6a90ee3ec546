package io.github.webpysession.sample.security;

import java.nio.file.Path;
import java.util.Map;

/** The sample's promises on its default, {@code session.store=disk}. */
class DiskSecuritySampleTests extends SecuritySampleTests {

	@Override
	Map<String, String> storeProperties(Path directory) {
		return Map.of("session.store", "disk", "session.disk.directory", directory.resolve("sessions").toString());
	}

}
