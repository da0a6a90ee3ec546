package io.github.webpysession.sample.security;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code session.max-sessions-per-principal=1}, on the sample's default store: a second
 * login ends the user's older session, and nobody else's.
 */
class MaxSessionsPerPrincipalTests {

	@TempDir
	Path directory;

	@Test
	void aSecondLoginEndsTheOlderSession() {
		try (SampleInstance instance = SampleInstance.start(Map.of("session.disk.directory",
				this.directory.resolve("sessions").toString(), "session.max-sessions-per-principal", "1"))) {
			Visitor bob = instance.visitor();
			bob.logIn("bob");
			Visitor laptop = instance.visitor();
			laptop.logIn("alice");
			Visitor phone = instance.visitor();
			phone.logIn("alice");
			assertThat(phone.whoAmI()).isEqualTo("alice");
			assertThat(laptop.whoAmI()).isNull();
			assertThat(bob.whoAmI()).isEqualTo("bob");
			assertThat(instance.sessions().findByPrincipalName("alice")).hasSize(1);
		}
	}

}
