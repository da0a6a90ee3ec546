package io.github.webpysession.sample;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample app on a random port, with its disk store in a temporary folder of the test
 * class's own.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
abstract class SampleAppOnATemporaryFolder {

	@TempDir
	static Path directory;

	@DynamicPropertySource
	static void sessionsInATemporaryFolder(DynamicPropertyRegistry registry) {
		registry.add("session.disk.directory", () -> directory.resolve("sessions").toString());
	}

	@LocalServerPort
	int port;

}
