package io.github.webpysession.sample.security;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** A login outlives the process on the stores that keep files: stopped and started again, still logged in. */
class RestartTests {

	@TempDir
	Path directory;

	@ParameterizedTest
	@ValueSource(strings = { "disk", "shelf" })
	void aLoginSurvivesTheAppStoppingAndStartingAgainOnTheSameFolder(String store) throws IOException {
		Map<String, String> properties = new HashMap<>(Map.of("server.port", String.valueOf(freePort()),
				"session.store", store, "session.disk.directory", this.directory.resolve("sessions").toString(),
				"session.shelf.file", this.directory.resolve("session.shelf").toString()));
		Visitor alice;
		try (SampleInstance first = SampleInstance.start(properties)) {
			alice = first.visitor();
			alice.logIn("alice");
			assertThat(alice.whoAmI()).isEqualTo("alice");
		}
		try (SampleInstance second = SampleInstance.start(properties)) {
			assertThat(alice.at(second).whoAmI()).isEqualTo("alice");
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
