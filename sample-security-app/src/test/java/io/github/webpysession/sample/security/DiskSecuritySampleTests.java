package io.github.webpysession.sample.security;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's promises on its default, {@code session.store=disk}, and a login that
 * outlives the process.
 */
class DiskSecuritySampleTests extends SecuritySampleTests {

	@Override
	Map<String, String> storeProperties(Path directory) {
		return Map.of("session.store", "disk", "session.disk.directory", directory.resolve("sessions").toString());
	}

	@Test
	void aLoginSurvivesTheAppStoppingAndStartingAgainOnTheSameFolder() {
		Visitor alice = this.instance.visitor();
		alice.logIn("alice");
		restart();
		assertThat(alice.whoAmI()).isEqualTo("alice");
		assertThat(this.instance.sessions().findByPrincipalName("alice")).as("still indexed").hasSize(1);
	}

}
